/// The release of semsearch, as `--version` and the MCP handshake report it.
public enum SemsearchVersion {
    public static let current = "0.1.0"
}
