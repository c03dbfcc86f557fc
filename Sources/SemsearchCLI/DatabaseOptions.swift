import ArgumentParser
import SemsearchKit

/// `--db`, shared by every command that reads or writes the index.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Index database (default: $SEMSEARCH_DB, else $XDG_DATA_HOME/semsearch/index.sqlite, else ~/.local/share/semsearch/index.sqlite).", valueName: "PATH"))
    var db: String?

    var path: String { db ?? IndexLocation.defaultPath() }
}
