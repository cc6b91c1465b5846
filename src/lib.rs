//! duban（督办）：把《政府工作报告》目标任务责任分解方案解析为任务目录，
//! 并为每个单位生成预填的附表1–3、任务清单与催报通知（PDF 与 XLSX）。
//!
//! 流水线（见 ARCHITECTURE.md）：
//! [`Project::load`]（配置 → 登记册 → 任务目录 → 报送数据 → 分工 → 期限 → 模板）
//! → [`plan::plan`]（每个单位的文件）→ [`render`]（内容 → PDF/XLSX 字节，纯函数）
//! → `output`（唯一写文件的模块）。[`Build`] 把后三步串起来。

// 模型与流水线各阶段：命令、测试、基准和以后的调用方用到的部分。
pub mod build;
pub mod catalogue;
pub mod cmd;
pub mod config;
pub mod date;
pub mod diag;
pub mod duties;
pub mod forms;
pub mod ingest;
pub mod output;
pub mod plan;
pub mod project;
pub mod registry;
pub mod render;
pub mod schedule;
pub mod status;
pub mod submissions;
pub mod templates;
pub mod typeset;

// 内部：只经命令层（`cmd`）或别的模块使用，不作为库的接口。
mod archive;
mod docx;
mod names;
mod remind;
mod report;
mod textfile;
mod xlsx;

pub use build::{Build, BuildOptions, BuildReport, Observer};
pub use project::{LoadOptions, Project};
