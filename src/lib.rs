//! duban（督办）：把《政府工作报告》目标任务责任分解方案解析为任务目录，
//! 并为每个单位生成预填的附表1–3、任务清单与催报通知（PDF 与 XLSX）。
//!
//! 流水线：加载配置 → 解析任务目录 → 加载报送数据 → 规划输出 → 渲染 → 写文件。

pub mod catalogue;
pub mod cmd;
pub mod config;
pub mod date;
pub mod diag;
pub mod forms;
pub mod output;
pub mod plan;
pub mod project;
pub mod render;
pub mod duties;
pub mod submissions;
pub mod templates;
pub mod textfile;
pub mod typeset;
pub mod registry;
pub mod xlsx;
