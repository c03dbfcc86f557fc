import ArgumentParser

/// `--color auto|always|never` (`auto`: on a terminal, unless `NO_COLOR` is set).
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}
