import ArgumentParser

/// `--layer` and `--dim`: the (layer, dim) cell a search runs in.
struct CellOptions: ParsableArguments {
    @Option(help: "Layer to search, 1…L (default: the deepest stored layer).")
    var layer: Int?

    @Option(help: "Leading dimensions to search (default: all).")
    var dim: Int?

    func validate() throws {
        if let layer, layer < 1 { throw ValidationError("--layer must be at least 1") }
        if let dim, dim < 1 { throw ValidationError("--dim must be at least 1") }
    }
}
