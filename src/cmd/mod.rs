//! 命令行子命令，每个子命令一个文件。`main` 只负责解析参数并调用 [`run`]。

pub mod build;
pub mod catalogue;
pub mod check;
pub mod render;
pub mod units;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// duban（督办）：政府工作报告目标任务责任分解与督办材料批量生成。
#[derive(Debug, Parser)]
#[command(name = "duban", version, about, long_about = None)]
pub struct Cli {
    /// 配置文件路径（默认当前目录下的 duban.toml）。
    #[arg(long, short = 'c', global = true, default_value = crate::config::CONFIG_FILE)]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 加载并检查配置、通知、单位登记册、报送数据与分工，不生成文件。
    Check(check::Args),
    /// 输出解析后的任务目录。
    Catalogue(catalogue::Args),
    /// 列出全部单位及其作为总牵头/牵头/责任单位的任务数。
    Units(units::Args),
    /// 用模板（内置名或文件）排版出一份 PDF：duban render 模板.md.tera [--data 数据.toml] -o 输出.pdf
    Render(render::Args),
    /// 为每个单位生成预填的附表1–3、任务清单与催报通知（PDF 与 XLSX）。
    Build(build::Args),
}

/// 执行一条命令，返回进程退出码（0 成功，1 有错误诊断）。
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Check(a) => check::run(&cli.config, a),
        Command::Catalogue(a) => catalogue::run(&cli.config, a),
        Command::Units(a) => units::run(&cli.config, a),
        Command::Render(a) => render::run(&cli.config, a),
        Command::Build(a) => build::run(&cli.config, a),
    }
}
