//! The panic hook every chimeflow process installs: a panicking rule is
//! caught and answered by the error policy, but the default hook would print
//! its payload first, and panics such as a bad slice quote the text. This
//! one reports the location only.

/// Replaces the process's panic hook with one that passes only the panic's
/// location (`file:line`, or `unknown location`) to `report`, never its
/// payload. The CLI prints it to standard error; the processor logs it.
///
/// ```
/// chimeflow_core::install_quiet_panic_hook(|location| eprintln!("a rule panicked at {location}"));
/// # let _ = std::panic::take_hook();
/// ```
pub fn install_quiet_panic_hook(report: impl Fn(&str) + Send + Sync + 'static) {
    std::panic::set_hook(Box::new(move |info| {
        let location = info.location().map_or_else(
            || "unknown location".to_owned(),
            |l| format!("{}:{}", l.file(), l.line()),
        );
        report(&location);
    }));
}
