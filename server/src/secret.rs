//! The secret that signs bearer tokens: `MICROCOS_SECRET` when set,
//! otherwise `<data>/secret`, created on first use with mode 0600.
//!
//! The file is created atomically: the secret is written and synced to a
//! temporary file first, then linked into place, so no process ever reads
//! it half-written or empty (after a crash, a full disk, or two first starts
//! racing). A secret shorter than [`MIN_SECRET_BYTES`] is refused: the
//! service does not start with it.
//!
//! Rotation: the previous secret, from `MICROCOS_PREVIOUS_SECRET` or
//! `<data>/secret.previous`, still verifies tokens ([`keys`]); new tokens are
//! signed with the current one. Move `secret` to `secret.previous`, restart
//! (a new secret is generated), and delete `secret.previous` once the old
//! tokens have expired (24 hours for `microcos token`'s default).

use std::io::Write;
use std::path::Path;

use microcos_host::auth::{usable_secret, Keys, MIN_SECRET_BYTES};

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

fn checked(secret: Vec<u8>, from: &dyn std::fmt::Display) -> std::io::Result<Vec<u8>> {
    if usable_secret(&secret) {
        Ok(secret)
    } else {
        Err(invalid(format!(
            "the token secret from {from} is {} bytes; it must be at least {MIN_SECRET_BYTES} \
             (set a longer MICROCOS_SECRET, or delete the file to have one generated)",
            secret.len()
        )))
    }
}

/// Creates `dir` (and its parents) with mode 0700 where it does not exist.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The keys the service verifies tokens with: the current secret ([`load`])
/// and the previous one, if there is one.
pub fn keys(data_dir: &Path) -> std::io::Result<Keys> {
    let keys = Keys::new(&load(data_dir)?);
    let previous = match std::env::var("MICROCOS_PREVIOUS_SECRET") {
        Ok(s) => Some(checked(s.into_bytes(), &"MICROCOS_PREVIOUS_SECRET")?),
        Err(_) => {
            let path = data_dir.join("secret.previous");
            match std::fs::read_to_string(&path) {
                Ok(s) => Some(checked(s.trim().as_bytes().to_vec(), &path.display())?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            }
        }
    };
    Ok(match previous {
        Some(p) => keys.with_previous(&p),
        None => keys,
    })
}

/// Loads or creates the secret.
pub fn load(data_dir: &Path) -> std::io::Result<Vec<u8>> {
    if let Ok(s) = std::env::var("MICROCOS_SECRET") {
        return checked(s.into_bytes(), &"MICROCOS_SECRET");
    }
    let path = data_dir.join("secret");
    match std::fs::read_to_string(&path) {
        Ok(s) => return checked(s.trim().as_bytes().to_vec(), &path.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    create_private_dir(data_dir)?;
    // 256 random bits from the OS generator, hex-encoded.
    let secret: String = [uuid::Uuid::new_v4(), uuid::Uuid::new_v4()]
        .iter()
        .flat_map(|u| u.as_bytes().iter().map(|b| format!("{b:02x}")))
        .collect();
    let tmp = data_dir.join(format!(".secret-{}", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(secret.as_bytes())?;
        f.sync_all()
    });
    // Link, not rename: it fails if another process created the file first,
    // and then both use that one.
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(secret.into_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            checked(std::fs::read_to_string(&path)?.trim().as_bytes().to_vec(), &path.display())
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("microcos-secret-{}", uuid::Uuid::new_v4().simple()))
    }

    #[test]
    fn a_generated_secret_is_private_complete_and_stable() {
        if std::env::var_os("MICROCOS_SECRET").is_some() {
            return; // the environment decides; nothing to generate
        }
        let d = dir().join("nested");
        let first = load(&d).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(load(&d).unwrap(), first, "read back, not regenerated");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&d.join("secret")), 0o600);
            assert_eq!(mode(&d), 0o700);
        }
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "no temporary file left");
        let _ = std::fs::remove_dir_all(d.parent().unwrap());
    }

    #[test]
    fn the_previous_secret_still_verifies_during_a_rotation() {
        if std::env::var_os("MICROCOS_SECRET").is_some() || std::env::var_os("MICROCOS_PREVIOUS_SECRET").is_some() {
            return;
        }
        use microcos_core::{Timestamp, UserId};
        let d = dir();
        let old = load(&d).unwrap();
        let alice = UserId::parse("alice").unwrap();
        let token = Keys::new(&old).sign(&alice, Timestamp(0), Timestamp(10_000));
        std::fs::rename(d.join("secret"), d.join("secret.previous")).unwrap();
        let keys = keys(&d).unwrap();
        assert_ne!(load(&d).unwrap(), old, "a new current secret");
        assert_eq!(keys.verify(&token, Timestamp(1)).unwrap().user, alice);
        std::fs::remove_file(d.join("secret.previous")).unwrap();
        assert!(super::keys(&d).unwrap().verify(&token, Timestamp(1)).is_err(), "rotation over");
        std::fs::write(d.join("secret.previous"), "short").unwrap();
        assert!(super::keys(&d).is_err(), "a short previous secret is refused too");
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn an_empty_or_short_secret_file_is_refused() {
        if std::env::var_os("MICROCOS_SECRET").is_some() {
            return;
        }
        let d = dir();
        create_private_dir(&d).unwrap();
        for short in ["", "\n", "only-31-bytes-long-secret-here!"] {
            std::fs::write(d.join("secret"), short).unwrap();
            let err = load(&d).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{short:?}");
            assert!(err.to_string().contains("at least 32"), "{err}");
        }
        let _ = std::fs::remove_dir_all(d);
    }
}
