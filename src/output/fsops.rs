//! 文件系统的底层操作：不跟随符号链接、随机且独占创建的临时文件、原子写入。
//!
//! 输出目录里的一切都由 duban 管理，但目录本身可能被人放进符号链接（例如把单位文件夹换成指向别处的
//! 链接）或预先放好与临时文件同名的链接。这里的每个函数都保证：不经符号链接写入或删除，
//! 不打开已存在的路径来写（O_EXCL），临时文件名不可预测。

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// 临时文件名前缀：崩溃后留下的这类文件由下次运行识别并清理。
pub const TEMP_PREFIX: &str = ".duban-tmp-";

/// 不可预测的 128 位十六进制串：取自标准库以操作系统随机数播种的哈希键，不另加依赖。
pub fn random_hex() -> String {
    let mut out = String::new();
    for salt in 0..2u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// 相对路径是否只由普通组成部分构成（没有“..”、根、盘符）。
pub fn is_plain_relative(rel: &Path) -> bool {
    rel.components().next().is_some() && rel.components().all(|c| matches!(c, Component::Normal(_)))
}

/// `root` 下 `rel` 的每一级上级目录：已存在的必须是真目录（不是符号链接），缺的逐级创建。
/// 返回目标文件的完整路径。
pub fn ensure_parent_dirs(root: &Path, rel: &Path) -> std::io::Result<PathBuf> {
    let mut dir = root.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            dir.push(c);
            match std::fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(std::io::Error::other(format!(
                        "{} 是符号链接，duban 不经符号链接写入或删除",
                        dir.display()
                    )))
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(std::io::Error::other(format!(
                        "{} 应为文件夹，却是一个文件",
                        dir.display()
                    )))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&dir)
                    .or_else(|e| {
                        // 并行写入时别的线程可能刚建好。
                        if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    })?,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(root.join(rel))
}

/// `root` 下 `rel` 的上级目录中有没有符号链接（或不是目录的东西）；不存在的部分不算。
pub fn has_linked_parent(root: &Path, rel: &Path) -> Option<PathBuf> {
    let mut dir = root.to_path_buf();
    for c in rel.parent()?.components() {
        dir.push(c);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => return Some(dir),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// 独占创建并写入一个新文件（路径已存在——包括同名的符号链接——时失败，绝不经链接写到别处）。
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    Ok(())
}

/// 独占创建、写入并落盘一个新文件（日志、清单这类提交点用）。
pub fn create_new_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// 让目录项的改名落盘（Linux 上有效；Windows 无法打开目录，忽略）。
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// 原子写入：同目录下随机名的临时文件（独占创建）写完后改名到目标。
/// 目标若是符号链接，改名替换的是链接本身，不会写到链接指向的文件。
pub fn write_atomic(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("{TEMP_PREFIX}{}", random_hex()));
    let written = if sync {
        create_new_synced(&tmp, bytes)
    } else {
        create_new(&tmp, bytes)
    };
    let result = written.and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    } else if sync {
        sync_dir(dir);
    }
    result
}

/// 删除 `root` 下的一个文件；上级目录有符号链接时不删（返回 `Ok(false)`）。
/// 文件本身是符号链接时删的是链接，不是它指向的文件。
pub fn remove_file_in(root: &Path, rel: &Path) -> std::io::Result<bool> {
    if !is_plain_relative(rel) || has_linked_parent(root, rel).is_some() {
        return Ok(false);
    }
    let path = root.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => std::fs::remove_file(&path).map(|_| true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("duban-fsops-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn random_names_differ() {
        let a = random_hex();
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_or_deletes_through_symlinks() {
        let base = temp("links");
        let outside = base.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("a.pdf"), b"keep").unwrap();
        let root = base.join("out");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("unit")).unwrap();
        assert!(ensure_parent_dirs(&root, Path::new("unit/a.pdf")).is_err());
        assert_eq!(
            remove_file_in(&root, Path::new("unit/a.pdf")).unwrap(),
            false
        );
        assert_eq!(std::fs::read(outside.join("a.pdf")).unwrap(), b"keep");
        // 目标是指向外部文件的链接：原子写入替换链接本身，外部文件不变。
        std::os::unix::fs::symlink(outside.join("a.pdf"), root.join("b.pdf")).unwrap();
        write_atomic(&root.join("b.pdf"), b"new", false).unwrap();
        assert_eq!(std::fs::read(outside.join("a.pdf")).unwrap(), b"keep");
        assert_eq!(std::fs::read(root.join("b.pdf")).unwrap(), b"new");
        assert!(!std::fs::symlink_metadata(root.join("b.pdf"))
            .unwrap()
            .file_type()
            .is_symlink());
        // 独占创建：已有同名链接时失败。
        std::os::unix::fs::symlink(outside.join("a.pdf"), root.join("c")).unwrap();
        assert!(create_new(&root.join("c"), b"x").is_err());
        assert_eq!(std::fs::read(outside.join("a.pdf")).unwrap(), b"keep");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
