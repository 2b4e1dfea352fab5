import AgentsCommandLine
import ArgumentParser

/// Marks a command as taking the global settings. It declares no options itself: every setting with an option in
/// the settings table (``Setting/all``) is taken out of the command line before parsing (``GlobalArguments``), and
/// `--help` lists them from the table.
struct GlobalOptionGroup: ParsableArguments {}
