import AgentsStore
import AgentsStorePostgres
import Testing

@Suite("PostgreSQL store URLs")
struct PostgresLocationTests {
  @Test("a full URL gives host, port, user, password, database, schema and TLS mode; printing hides credentials")
  func fullURL() throws {
    let location = try PostgresLocation(
      url: "postgres://agents:s%40cret@db.internal:6543/prod?sslmode=require&schema=agents", environment: [:])
    #expect(location.host == "db.internal")
    #expect(location.port == 6543)
    #expect(location.user == "agents")
    #expect(location.password == "s@cret")
    #expect(location.database == "prod")
    #expect(location.schema == "agents")
    #expect(location.tls == .require)
    #expect(!"\(location)".contains("cret"))
    #expect(!location.address.redacted.contains("agents:"))
  }

  @Test("missing parts take libpq's defaults: port 5432, PGUSER or USER, PGPASSWORD, database named like the user")
  func defaults() throws {
    let location = try PostgresLocation(
      url: "postgresql://127.0.0.1", environment: ["PGUSER": "ada", "PGPASSWORD": "pw", "USER": "root"])
    #expect(location.port == 5432)
    #expect(location.user == "ada")
    #expect(location.password == "pw")
    #expect(location.database == "ada")
    #expect(location.schema == "public")
    #expect(location.tls == .prefer)
    let ipv6 = try PostgresLocation(url: "postgres://u@[::1]:5433/d", environment: [:])
    #expect(ipv6.host == "::1")
    #expect(ipv6.port == 5433)
  }

  @Test("an empty host or ?host=/dir is a Unix socket directory, without TLS")
  func unixSocket() throws {
    let local = try PostgresLocation(url: "postgres://agents@/agents", environment: [:])
    #expect(local.host == nil)
    #expect(local.socketDirectory == "/var/run/postgresql")
    let custom = try PostgresLocation(url: "postgres://agents@/agents?host=/tmp/pg&port=55432&sslmode=require", environment: [:])
    #expect(custom.socketDirectory == "/tmp/pg")
    #expect(custom.port == 55432)
    #expect(custom.tls == .disable)
  }

  @Test(
    "bad URLs are refused with what is wrong",
    arguments: [
      ("mysql://db/x", "not a PostgreSQL URL"),
      ("postgres://db:99999/x", "port"),
      ("postgres://db/x?sslmode=sometimes", "sslmode"),
      ("postgres://db/x?schema=Robert%27);DROP", "schema"),
      ("postgres://db/x?password=hunter2", "user part"),
      ("postgres://db/x?fallback=1", "unknown parameter"),
    ])
  func badURLs(url: String, complaint: String) {
    #expect {
      try PostgresLocation(url: url, environment: [:])
    } throws: { error in
      let error = error as? StoreError
      return error?.code == .invalidArgument && error?.message.contains(complaint) == true
        && error?.message.contains("hunter2") == false
    }
  }
}
