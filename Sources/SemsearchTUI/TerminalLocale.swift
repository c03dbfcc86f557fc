import Foundation

/// The process's character-type locale, which `wcwidth` (and so `DisplayWidth`) and ncurses'
/// wide-character output depend on. Setting a locale changes the whole process, so it happens once
/// at the edge — the executable's start-up and the terminal layer — never inside the renderer.
public enum TerminalLocale {
    /// Takes the user's locale from the environment and, when its character type is not UTF-8
    /// (a "C" or "POSIX" locale), switches the character type alone to UTF-8 so wide characters
    /// measure and draw correctly.
    public static func useUserLocaleWithUTF8() {
        setlocale(LC_ALL, "")
        if !String(cString: nl_langinfo(nl_item(CODESET))).uppercased().contains("UTF") {
            _ = setlocale(LC_CTYPE, "C.UTF-8") ?? setlocale(LC_CTYPE, "en_US.UTF-8")
        }
    }
}
