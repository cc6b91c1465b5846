//! 输出目录的锁：同一时刻只有一个 duban 写同一个输出目录。
//!
//! 用操作系统的文件锁（进程结束或被杀时自动释放，不会留下“死锁”），锁住 `.duban-lock`；
//! 持有者的说明（进程号、命令）另写在 `.duban-holder`，第二个进程据此说明是谁占着。

use std::fs::{File, OpenOptions};
use std::path::Path;

/// 锁文件名（输出目录根下）。
pub const LOCK_FILE: &str = ".duban-lock";
/// 持有者说明文件名。
pub const HOLDER_FILE: &str = ".duban-holder";

/// 持有中的锁；丢弃时先删持有者说明、再释放锁（不会删到下一个持有者写的说明）。
#[derive(Debug)]
pub struct Lock {
    file: Option<File>,
    dir: std::path::PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(HOLDER_FILE));
        drop(self.file.take());
    }
}

/// 取锁失败。
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("输出目录 {dir} 正被另一个 duban 使用（{holder}），为免两次生成互相覆盖，本次已停止\n  提示：等它结束后再运行；若确认没有别的 duban 在运行，可重试（进程结束后锁会自动释放）")]
    Busy { dir: String, holder: String },
    #[error("无法锁定输出目录 {dir}：{source}")]
    Io {
        dir: String,
        #[source]
        source: std::io::Error,
    },
}

impl Lock {
    /// 锁住 `dir`；已被别的进程锁住时立即返回 [`LockError::Busy`]，写明持有者。
    /// `holder` 是本进程的说明（进程号与命令由调用方给出），取锁成功后写入持有者文件。
    pub fn acquire(dir: &Path, holder: &str) -> Result<Lock, LockError> {
        let shown = dir.display().to_string();
        let io = |source| LockError::Io {
            dir: shown.clone(),
            source,
        };
        let path = dir.join(LOCK_FILE);
        // 锁文件若被换成符号链接，删掉链接本身再建（不经链接打开别处的文件）。
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&path).map_err(io)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(dir.join(HOLDER_FILE))
                    .ok()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "持有者不明".into());
                return Err(LockError::Busy { dir: shown, holder });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let _ = super::fsops::write_atomic(&dir.join(HOLDER_FILE), holder.as_bytes(), false);
        Ok(Lock {
            file: Some(file),
            dir: dir.to_path_buf(),
        })
    }
}
