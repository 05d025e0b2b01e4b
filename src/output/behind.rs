//! A file written by a thread of its own: the handbook's 100 MB go to the kernel while
//! the build lays out the next pages. Its write calls were a tenth of the time the
//! laying-out thread worked alone, with the thread pool waiting.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Bytes gathered before they are handed to the writing thread.
const PIECE: usize = 1 << 20;
/// Pieces in flight: the layout runs at most this far ahead of the disk.
const AHEAD: usize = 4;

/// Writes to a file on a thread of its own, a piece at a time. The first error the
/// thread meets is returned by the next write, by `flush`, or by [`Behind::finish`].
pub(super) struct Behind {
    buf: Vec<u8>,
    to: Option<SyncSender<Vec<u8>>>,
    /// Emptied pieces coming back, to be filled again.
    back: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<File>>>,
}

impl Behind {
    pub(super) fn new(mut file: File) -> io::Result<Behind> {
        let (to, from) = sync_channel::<Vec<u8>>(AHEAD);
        let (give_back, back) = sync_channel::<Vec<u8>>(AHEAD + 1);
        let thread = std::thread::Builder::new()
            .name("mingbai-write".into())
            .spawn(move || {
                for mut piece in from {
                    file.write_all(&piece)?;
                    piece.clear();
                    // The other side may have stopped taking pieces back.
                    let _ = give_back.try_send(piece);
                }
                Ok(file)
            })?;
        Ok(Behind {
            buf: Vec::with_capacity(PIECE),
            to: Some(to),
            back,
            thread: Some(thread),
        })
    }

    /// Hands the gathered bytes to the thread; its error when it has stopped.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(PIECE));
        let piece = std::mem::replace(&mut self.buf, next);
        let sent = self.to.as_ref().is_some_and(|to| to.send(piece).is_ok());
        if sent {
            Ok(())
        } else {
            // The thread stopped at an error: that error.
            self.join().map(drop)
        }
    }

    fn join(&mut self) -> io::Result<File> {
        self.to = None;
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the writing thread stopped"))),
            None => Err(io::Error::other("the file was already closed")),
        }
    }

    /// Writes what is left and waits for the thread: the file, all bytes written.
    pub(super) fn finish(mut self) -> io::Result<File> {
        self.hand_over()?;
        self.join()
    }
}

impl Write for Behind {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > PIECE {
            self.hand_over()?;
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    /// Hands the bytes so far to the thread (they reach the file in order; the file
    /// itself is complete only after [`Behind::finish`]).
    fn flush(&mut self) -> io::Result<()> {
        self.hand_over()
    }
}

impl Drop for Behind {
    fn drop(&mut self) {
        // An unfinished file (an error on the way): stop the thread, drop the rest.
        if self.thread.is_some() {
            let _ = self.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_gets_every_byte_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        let mut w = Behind::new(File::create(&path).unwrap()).unwrap();
        let mut want = Vec::new();
        // Writes smaller and larger than a piece, and flushes between them.
        for i in 0..40u32 {
            let len = (i as usize * 7919) % (PIECE * 2) + 1;
            let bytes: Vec<u8> = (0..len).map(|k| (k as u32 ^ i) as u8).collect();
            w.write_all(&bytes).unwrap();
            want.extend_from_slice(&bytes);
            if i % 9 == 0 {
                w.flush().unwrap();
            }
        }
        w.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), want);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_error_is_returned_not_lost() {
        // /dev/full refuses every write with ENOSPC.
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let mut w = Behind::new(full).unwrap();
        let piece = vec![1u8; PIECE];
        let mut failed = false;
        for _ in 0..(AHEAD + 3) {
            if w.write_all(&piece).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed || w.finish().is_err());
    }
}
