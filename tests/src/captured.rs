//! A child process's standard output and error, gathered as it runs, so a
//! test can read what a processor (or an emulator around it) printed so far.

use std::io::Read;
use std::process::Child;
use std::sync::{Arc, Mutex};

/// Everything `child` writes to its piped stdout and stderr, interleaved in
/// the order it arrives. Clones share the same buffer.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Starts reading the child's stdout and stderr (both must be piped)
    /// on two threads that end when the child closes them.
    pub fn start(child: &mut Child) -> Self {
        let captured = Captured::default();
        let streams: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().expect("stdout is piped")),
            Box::new(child.stderr.take().expect("stderr is piped")),
        ];
        for mut stream in streams {
            let buffer = captured.0.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = stream.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    buffer.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            });
        }
        captured
    }

    /// What was written so far, as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
