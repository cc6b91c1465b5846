//! `duban templates`：列出内置模板及当前生效的来源；`--export` 把内置模板导出到 `templates/` 作为修改底本。

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::write_atomic;
use crate::templates::{Templates, BUILTIN};
use std::path::Path;

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct Args {
    /// 把这些内置模板（如 reminder.md.tera）导出到模板文件夹供修改；已有同名文件时不覆盖。
    #[arg(long, value_name = "模板", num_args = 1..)]
    pub export: Vec<String>,
}

/// 执行 `duban templates`。
pub fn run(config: &Path, args: Args) -> anyhow::Result<i32> {
    let (cfg, root) = Config::load_or_default(config)?;
    let dir = root.join(&cfg.paths.templates);
    if args.export.is_empty() {
        // 列出时照样报告有错的模板文件（列表中它显示为内置）。
        let (templates, diags) = Templates::load_checked(Some(&dir));
        super::check::report(&diags);
        println!("模板文件夹：{}", dir.display());
        for (name, source) in templates.sources() {
            println!("{name}\t{source}");
        }
        return Ok(i32::from(diags.has_errors()));
    }
    let unknown: Vec<&str> = args
        .export
        .iter()
        .map(String::as_str)
        .filter(|n| !BUILTIN.iter().any(|(b, _)| b == n))
        .collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        return Err(Diagnostic::error(
            "命令行 --export",
            0,
            0,
            format!("没有这些内置模板：{}", unknown.join("、")),
        )
        .with_hint(format!("可导出的有 {}", names.join("、")))
        .into());
    }
    let mut code = 0;
    for (name, text) in BUILTIN
        .iter()
        .filter(|(n, _)| args.export.iter().any(|e| e == n))
    {
        let path = dir.join(name);
        // 不覆盖用户已改过的模板。
        if path.exists() {
            eprintln!(
                "警告：{}：已存在，未覆盖\n  提示：要换回内置模板，先删除或改名这个文件再导出",
                path.display()
            );
            code = 1;
            continue;
        }
        write_atomic(&path, text.as_bytes())?;
        println!(
            "已导出 {}（修改后 duban build / render 即用它代替内置模板）",
            path.display()
        );
    }
    Ok(code)
}
