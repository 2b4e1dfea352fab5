#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A TCP socket bound to the server's address but not listening: connections to the port are refused
/// (`ECONNREFUSED`), and the kernel never hands the port to another socket binding port 0 in the meantime.
///
/// ``FakeOllamaServer/stopListening()`` holds one so that a test running beside others never reaches another
/// fake server that happened to get the freed port; ``FakeOllamaServer/resumeListening()`` listens on it.
struct PortReservation: Sendable {
  /// The socket's file descriptor.
  let descriptor: CInt

  /// Binds a new socket to `host`:`port` without listening.
  static func reserve(host: String, port: Int) throws -> PortReservation {
    let address = try SocketAddress(ipAddress: host, port: port)
    #if os(Linux)
    let streamType = CInt(SOCK_STREAM.rawValue)
    #else
    let streamType = SOCK_STREAM
    #endif
    let descriptor = socket(address.protocol.rawValue, streamType, 0)
    guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
    var enable: CInt = 1
    _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<CInt>.size))
    let bound = address.withSockAddr { pointer, length in bind(descriptor, pointer, socklen_t(length)) }
    guard bound == 0 else {
      let code = errno
      close(descriptor)
      throw IOError(errnoCode: code, reason: "bind")
    }
    return PortReservation(descriptor: descriptor)
  }

  /// Closes the socket, freeing the port (not needed once a listener has taken the socket over).
  func release() {
    close(descriptor)
  }
}
