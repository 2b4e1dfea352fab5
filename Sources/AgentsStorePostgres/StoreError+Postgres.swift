import AgentsStore
import PostgresNIO

extension StoreError {
  /// Maps a PostgreSQL failure to a store error that names the server and the action, and says what to do.
  ///
  /// PostgreSQL's own message and SQLSTATE are kept (they hold no row values); details, which can, are not.
  init(postgres error: any Error, while action: String, at location: PostgresLocation) {
    switch error {
    case let error as StoreError:
      self = error
    case let error as PostgresTransactionError:
      let cause = error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError
      self.init(postgres: cause ?? error, while: action, at: location)
    case let error as PSQLError:
      self.init(psql: error, while: action, at: location)
    default:
      self.init(.postgres, "PostgreSQL at \(location.endpoint) failed while \(action): \(error)")
    }
  }

  private init(psql error: PSQLError, while action: String, at location: PostgresLocation) {
    let server = "PostgreSQL at \(location.endpoint)"
    switch error.code {
    case .server:
      let state = error.serverInfo?[.sqlState] ?? ""
      let message = error.serverInfo?[.message] ?? "no message"
      let said = "\(message) (SQLSTATE \(state))"
      switch state {
      case "28P01", "28000":
        self.init(
          .cannotOpen,
          "\(server) refused the login of '\(location.user)' while \(action): \(said); "
            + "check the user and password in the store URL or PGPASSWORD")
      case "3D000":
        self.init(
          .cannotOpen,
          "\(server) has no database '\(location.database)' (\(said)); create it (createdb \(location.database)) "
            + "or name another in the store URL")
      case "53100":
        self.init(.diskFull, "\(server) ran out of disk space while \(action): \(said); free space on the database server")
      case "25006":
        self.init(
          .readOnly, "\(server) is read-only (a standby?) while \(action): \(said); point the store URL at the primary")
      case "40001", "40P01", "55P03", "53300":
        self.init(.busy, "\(server) was busy while \(action): \(said); retry")
      default:
        self.init(.postgres, "\(server) failed while \(action): \(said)")
      }
    case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .sslUnsupported,
      .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
      let cause = error.underlying.map { " (\($0))" } ?? ""
      self.init(
        .cannotOpen,
        "cannot reach \(server) while \(action)\(cause); check that it runs, listens there and accepts this "
          + "client (pg_hba.conf), and the store URL's host, port and sslmode")
    case .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError:
      self.init(
        .cannotOpen,
        "\(server) needs another login for '\(location.user)' while \(action) (\(error.code)); put the password "
          + "in the store URL (postgres://USER:PASSWORD@HOST/DB) or PGPASSWORD")
    case .poolClosed:
      self.init(.cannotOpen, "the connection to \(server) was closed before \(action)")
    default:
      self.init(.postgres, "\(server) failed while \(action) (\(error.code))")
    }
  }
}
