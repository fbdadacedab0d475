//! Reading an input (a large one on every core), and a file teampulse wrote earlier (a
//! previous build's `kpis.json`, a history record) without trusting what is there now: a pipe
//! is never waited on, a device never read, and nothing larger than a cap is read into memory.
//! And the scratch file each file of the history folder is written through.

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

/// Files from this size on are read by several workers at once.
const PARALLEL_READ: u64 = 8 << 20;

/// The bytes of an input file. A large regular file is read by up to `jobs` workers at once,
/// each its own part: copying 80 MB out of the system's cache, into memory the system must
/// first clear, took one core 50 ms while the other waited. A file that grows meanwhile is
/// read to its end; one that shrinks is an error, as a truncated read would be.
pub fn read_input(path: &Path, jobs: usize) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let workers = super::par::workers(jobs);
    if !meta.is_file() || meta.len() < PARALLEL_READ || workers < 2 {
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    let len = meta.len() as usize;
    let sizes = super::par::even_parts(len, workers);
    let mut bytes = vec![0u8; len];
    let done = super::par::fill(&mut bytes, &sizes, jobs, |i, buf| {
        file.read_exact_at(buf, (i * sizes[0]) as u64)
    });
    done.into_iter().collect::<io::Result<()>>()?;
    std::io::Seek::seek(&mut file, io::SeekFrom::Start(len as u64))?;
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A scratch file in `dir` holding `bytes`, written through to the disk and readable like any
/// file a person writes (a scratch file starts private), to be put in place with `persist`:
/// how the history folder gets each of its files in one step.
pub fn scratch_file(
    dir: &Path,
    prefix: &str,
    suffix: &str,
    bytes: &[u8],
) -> io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let mut temp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_input_read_in_parts_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let len = PARALLEL_READ as usize + 12_345;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        for jobs in [1, 2, 3, 7] {
            assert!(read_input(&path, jobs).unwrap() == bytes, "{jobs} workers");
        }
        std::fs::write(&path, b"small").unwrap();
        assert_eq!(read_input(&path, 4).unwrap(), b"small");
    }

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
