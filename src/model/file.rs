//! Reading a file teampulse wrote earlier (a previous build's `kpis.json`, a history record)
//! without trusting what is there now: a pipe is never waited on, a device never read, and
//! nothing larger than a cap is read into memory.

use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Largest file read back by default: about twenty times the `kpis.json` of ten million events.
pub const CAP: u64 = 1 << 30;

/// The bytes of `path` if it is a regular file (a link to one is followed) of at most `cap`
/// bytes; otherwise an error saying why.
pub fn read_regular(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let not = |why: String| io::Error::new(io::ErrorKind::InvalidInput, why);
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not("not a regular file".into()));
    }
    // Opened without blocking, in case it became a pipe since it was looked at.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not("not a regular file".into()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(not(format!("larger than {} MiB", cap >> 20)));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_devices_and_large_files_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(read_regular(&fifo, CAP).is_err());
        assert!(read_regular(Path::new("/dev/zero"), CAP).is_err());
        let file = dir.path().join("f");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap(), b"12345");
        assert!(read_regular(&file, 4).is_err());
    }
}
