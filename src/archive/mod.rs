//! 季度归档（`duban archive 2023Q2`）：一个能自证完整的 zip 包。
//!
//! 三步：[`collect`] 选出要归档的条目（分发材料与催报通知取自输出目录，报回原件与登记簿取自报回件库，
//! 汇总表与督办情况按归档日期现做，不写任何东西）；[`write::write_zip`] 按固定顺序、固定时间戳写包，
//! 边写边算每个条目的 SHA-256，最后写目录 PDF 与 `manifest.json`；[`verify::verify`] 按清单逐条核验。
//!
//! 包内布局（都在根文件夹 `督办归档-2023Q2/` 下）：
//!
//! ```text
//! 00-目录.pdf            全部条目的清单（序号、路径、大小、SHA-256 前 16 位）
//! manifest.json          每个条目的大小与 SHA-256、duban 版本、字体、归档日期、计数
//! 分发材料/…             本季度分发的材料（输出目录中 duban build 生成的，打印合订本除外）
//! 汇总表/…               本季度完成情况汇总表 PDF 与 XLSX
//! 督办情况/…             截至归档日期的督办情况：JSON、XLSX、HTML 与通报 PDF
//! 催报/…                 本周期的催报通知、催办登记（原文件）与截至归档日期的催办登记簿
//! 报回件/…               报回原件（逐字节）、整理后的数据、退回说明、登记簿（原文件）
//! 报送数据/…             手工录入的报送数据（content/submissions，原文件）
//! ```

mod collect;
pub mod toc;
pub mod verify;
pub mod write;

pub use collect::{collect, ArchiveOptions};

use crate::date::{Date, Quarter};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// 清单文件名（包的根文件夹下）。
pub const MANIFEST: &str = "manifest.json";
/// 目录 PDF 的文件名。
pub const TOC: &str = "00-目录.pdf";
/// 清单的格式名与版本。
pub const FORMAT: &str = "duban-archive";
pub const VERSION: u32 = 1;

/// 包的根文件夹名。
pub fn root_dir(q: Quarter) -> String {
    format!("督办归档-{q}")
}

/// 默认的包文件名。
pub fn file_name(q: Quarter, as_of: Date) -> String {
    format!("督办归档-{q}-{as_of}.zip")
}

/// 条目内容从哪来：输出目录或内容目录里的文件（写包时才读，内存不随材料增多），或现做的字节。
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// 包中的一个条目。
#[derive(Debug, Clone)]
pub struct Item {
    /// 相对根文件夹的路径，“/”分隔。
    pub path: String,
    /// 类别（分发材料、报回原件……），写进清单与目录。
    pub kind: String,
    /// PDF 页数（不是 PDF 或不知道时为 0）。
    pub pages: usize,
    pub source: Source,
}

/// 准备好的一次归档。
#[derive(Debug, Clone)]
pub struct ArchivePlan {
    pub quarter: Quarter,
    pub as_of: Date,
    /// 本归档周期的起始日（上一个需报季度截止日的次日；第一个季度为 `None`，即从通知下发起）。
    pub period_from: Option<Date>,
    /// 本季度完成情况的截止日。
    pub due: Date,
    pub title: String,
    pub issuer: String,
    /// 实际用的字体（每种角色一行）。
    pub fonts: Vec<String>,
    /// 按路径排序。
    pub items: Vec<Item>,
    pub counts: Counts,
    /// 该有而没找到的（如登记里有、输出目录里已没有的催报通知），也写进清单。
    pub missing: Vec<String>,
}

/// 计数（写进清单与目录）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// 分发材料涉及的单位数。
    pub units: usize,
    /// 分发材料文件数。
    pub packets: usize,
    /// 报回原件份数（去重后）。
    pub originals: usize,
    /// 报回登记中本周期的收件条数（按结果分：已接收、退回、拒收、待定）。
    pub received: usize,
    pub accepted: usize,
    /// 本周期的催报通知（登记中的，不含作废）与其中找到了 PDF 的份数。
    pub reminders: usize,
    pub reminder_letters: usize,
    /// 汇总表：应报任务数、全部报了的、部分报了的、一家都没报的。
    pub report_tasks: usize,
    pub report_done: usize,
    pub report_partial: usize,
    pub report_missing: usize,
}

/// 清单中的一个条目。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    pub kind: String,
    pub size: u64,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pages: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `manifest.json`：包的自述。字段顺序固定，同样的输入得到同样的字节。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// 生成本包的 duban 版本。
    pub duban: String,
    pub title: String,
    pub issuer: String,
    pub quarter: String,
    /// 本季度完成情况的截止日。
    pub due: String,
    /// 归档日期（状态、汇总按这一天算；包内时间戳也取这一天）。
    pub as_of: String,
    /// 归档周期：起（空表示从通知下发起）、止（即归档日期）。
    pub period_from: String,
    pub period_to: String,
    pub fonts: Vec<String>,
    pub counts: Counts,
    /// 该有而没有的材料。
    pub missing: Vec<String>,
    /// 全部条目（清单自身除外），按写入顺序。
    pub entries: Vec<ManifestEntry>,
}

impl Manifest {
    /// “2023年第二季度”（季度写法不对时原样）。
    pub fn quarter_chinese(&self) -> String {
        Quarter::parse(&self.quarter)
            .map(|q| q.chinese())
            .unwrap_or_else(|_| self.quarter.clone())
    }
}

impl ArchivePlan {
    /// 由写好的条目做清单。
    pub fn manifest(&self, entries: Vec<ManifestEntry>) -> Manifest {
        Manifest {
            format: FORMAT.into(),
            version: VERSION,
            duban: env!("CARGO_PKG_VERSION").into(),
            title: self.title.clone(),
            issuer: self.issuer.clone(),
            quarter: self.quarter.to_string(),
            due: self.due.to_string(),
            as_of: self.as_of.to_string(),
            period_from: self.period_from.map(|d| d.to_string()).unwrap_or_default(),
            period_to: self.as_of.to_string(),
            fonts: self.fonts.clone(),
            counts: self.counts.clone(),
            missing: self.missing.clone(),
            entries,
        }
    }
}

#[cfg(test)]
mod tests;
