/// How `semsearch mcp` was started.
public struct MCPConfiguration: Sendable {
    /// The index database, resolved to an absolute path.
    public var databasePath: String
    /// A model name or directory; nil uses the model the index was built with.
    public var model: String?
    /// Offer the `read` and `refresh` tools.
    public var allowRead = false
    public var allowRefresh = false
    /// Cap in bytes on a `search` result's JSON and a `read` result's text (`status` and `refresh`
    /// are not capped). The reply carries the result twice (the text block and `structuredContent`),
    /// so on the wire it is about twice this.
    public var maxResultBytes = 16 * 1024
    /// Seconds a write may wait for a client that reads nothing before the server gives up and exits.
    public var writeTimeout = 30.0
    /// The semsearch binary, for `refresh`.
    public var executable = "/proc/self/exe"

    public init(databasePath: String, model: String? = nil) {
        self.databasePath = databasePath
        self.model = model
    }
}
