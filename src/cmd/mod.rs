//! 命令行子命令，每个子命令一个文件。`main` 只负责解析参数并调用 [`run`]。
//!
//! clap 自带的帮助和报错是英文；这里用中文的帮助模板、自加的 -h/-V 选项和自带的
//! `help` 子命令替换英文部分，报错由 [`clap_error_message`] 按错误种类译成中文。

pub mod archive;
pub mod build;
pub mod catalogue;
pub mod check;
pub mod ingest;
pub mod remind;
pub mod render;
pub mod report;
pub mod status;
pub mod templates;
pub mod units;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// 全部命令共用的帮助模板：标题全部中文，不用 clap 的 “Usage:” 等。
pub const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}\n";

/// duban（督办）：政府工作报告目标任务责任分解与督办材料批量生成。
#[derive(Debug, Parser)]
#[command(
    name = "duban",
    version,
    about,
    long_about = None,
    help_template = HELP_TEMPLATE,
    override_usage = "duban [选项] <命令>",
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项",
    arg_required_else_help = true,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 配置文件路径（默认当前目录下的 duban.toml）。
    #[arg(long, short = 'c', global = true, value_name = "文件", default_value = crate::config::CONFIG_FILE, hide_default_value = true)]
    pub config: PathBuf,
    /// 显示帮助。
    #[arg(long, short = 'h', global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// 显示版本。
    #[arg(long, short = 'V', action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 加载并检查配置、通知、单位登记册、报送数据与分工，不生成文件。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban check [选项]")]
    Check(check::Args),
    /// 输出解析后的任务目录。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban catalogue [选项]")]
    Catalogue(catalogue::Args),
    /// 列出全部单位及其作为总牵头/牵头/责任单位的任务数。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban units [选项]")]
    Units(units::Args),
    /// 用模板（内置名或文件）排版出一份 PDF：duban render 模板.md.tera [--data 数据.toml] -o 输出.pdf
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban render [选项] -o <输出> <模板>")]
    Render(render::Args),
    /// 为每个单位生成预填的附表1–3 与任务清单（PDF 与 XLSX）；--reminders 时附催报通知。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban build [选项]")]
    Build(build::Args),
    /// 季度完成情况汇总表（PDF 与 XLSX）：全部任务按目录顺序，每项的报送单位与完成情况，另附汇总页。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban report [选项] <季度>")]
    Report(report::Args),
    /// 季度归档：分发材料、报回原件与登记簿、汇总表、督办情况、催报通知和清单打成一个 zip 包；verify 核验包。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban archive [选项] <季度>\n       duban archive verify <包文件>")]
    Archive(archive::Args),
    /// 报送状态：每个单位每项材料已报、逾期还是未到期（表格、JSON、XLSX、HTML 页面或督办情况通报 PDF）。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban status [选项]")]
    Status(status::Args),
    /// 给逾期或即将到期而未报的单位出带督办编号的催报通知、合并打印 PDF 与催办登记簿。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban remind [选项]")]
    Remind(remind::Args),
    /// 导入各单位报回的 XLSX：保存原件、登记、核对，已接收的数据供 build 使用，有错的生成退回说明。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban ingest [选项] [路径]...")]
    Ingest(ingest::Args),
    /// 列出内置模板及当前用的是内置还是 templates/ 中的文件；--export 导出内置模板供修改。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban templates [选项]")]
    Templates(templates::Args),
    /// 显示帮助；加命令名显示该命令的帮助，如 duban help build。
    #[command(help_template = HELP_TEMPLATE, override_usage = "duban help [命令]")]
    Help(HelpArgs),
}

/// `duban help [命令]` 的参数。
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "选项")]
pub struct HelpArgs {
    /// 要查看帮助的命令，如 build。
    #[arg(value_name = "命令", help_heading = "参数")]
    pub command: Option<String>,
}

/// 解析命令行。帮助、版本在这里打印，用法错误在这里以中文报告；
/// 这些情况返回 `Err(退出码)`：帮助与版本为 0，用法错误为 2。
pub fn parse_args<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(Cli {
            command: Command::Help(h),
            ..
        }) => {
            // `duban help build` 等同 `duban build --help`：同一套模板，未知命令同样报错。
            let mut argv: Vec<String> = vec!["duban".into()];
            argv.extend(h.command);
            argv.push("--help".into());
            match Cli::try_parse_from(argv) {
                Ok(_) => Err(0),
                Err(e) => Err(report_clap_error(&e)),
            }
        }
        Ok(cli) => Ok(cli),
        Err(e) => Err(report_clap_error(&e)),
    }
}

/// 打印 clap 的结果并给出退出码：帮助/版本写到标准输出并返回 0，其余写中文报错到标准错误并返回 2。
pub fn report_clap_error(err: &clap::Error) -> i32 {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{err}");
            0
        }
        // 不带参数运行 `duban`：帮助本身已是中文，照印到标准错误。
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{err}");
            2
        }
        _ => {
            eprintln!("{}", clap_error_message(err));
            2
        }
    }
}

/// 上下文值 → 文本列表（单个值也是一项）。
fn ctx_all(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// 上下文值 → 文本；多个值用顿号连接。
fn ctx(err: &clap::Error, kind: ContextKind) -> String {
    ctx_all(err, kind).join("、")
}

/// 多个值各加中文引号，用顿号连接：“table”、“json”。
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("“{s}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// 把一个 clap 错误写成中文：保留出错的参数、值和“你是不是要找”的建议，末尾附用法。
pub fn clap_error_message(err: &clap::Error) -> String {
    let arg = ctx(err, ContextKind::InvalidArg);
    let value = ctx(err, ContextKind::InvalidValue);
    let mut msg = match err.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("未知的子命令“{}”", ctx(err, ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!("未知的选项“{arg}”"),
        ErrorKind::UnknownArgument => format!("多余的参数“{arg}”"),
        ErrorKind::InvalidValue if value.is_empty() => format!("选项 {arg} 需要一个值"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut m = format!("选项 {arg} 的值“{value}”无效");
            let valid = ctx_all(err, ContextKind::ValidValue);
            if !valid.is_empty() {
                m.push_str(&format!("，可选：{}", quoted(&valid)));
            }
            m
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            let mut m = "缺少子命令".to_string();
            let valid = ctx_all(err, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                m.push_str(&format!("，可用：{}", quoted(&valid)));
            }
            m
        }
        ErrorKind::ArgumentConflict if arg == ctx(err, ContextKind::PriorArg) => {
            format!("选项 {arg} 只能给出一次")
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(err, ContextKind::PriorArg);
            format!("选项 {arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::TooManyValues => format!("多余的值“{value}”（选项 {arg}）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("选项 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("选项 {arg} 的值要用“=”连接"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        // 其余种类很少见：保留 clap 的原文，不丢信息。
        _ => format!("命令行参数有误：{}", err.to_string().trim()),
    };
    let suggestions: Vec<String> = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .flat_map(|k| ctx_all(err, k))
    .collect();
    if !suggestions.is_empty() {
        msg.push_str(&format!("，你是不是要找{}？", quoted(&suggestions)));
    }
    let mut out = format!("错误：{msg}");
    // 用法形如“duban build [选项]”；命令部分用来提示该看哪条 --help。
    let usage = ctx(err, ContextKind::Usage);
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
    let command: String = usage
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ");
    if !usage.is_empty() {
        out.push_str(&format!("\n\n用法：{usage}"));
    }
    let command = if command.is_empty() {
        "duban"
    } else {
        &command
    };
    out.push_str(&format!("\n\n提示：运行 {command} --help 查看说明。"));
    out
}

/// 按 `--today`/`--as-of` > 环境变量 `SOURCE_DATE_EPOCH` > `duban.toml` 的 `[project] today` 确定“今天”；
/// 都没有时为 `None`。环境变量只在命令层读取，库里不读环境、不读时钟。
/// 出错时的诊断指明是哪个来源（命令行选项、环境变量或配置项）写错了。
pub fn today_opt(
    cli: Option<&str>,
    cfg: &crate::config::Config,
) -> anyhow::Result<Option<(crate::date::Date, crate::date::TodaySource)>> {
    use crate::diag::Diagnostic;
    let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
    let sde = sde.as_deref().filter(|s| !s.trim().is_empty());
    let (origin, hint) = match (cli, sde) {
        (Some(_), _) => ("命令行 --today", "写成 --today 2023-02-08 这样的 年-月-日"),
        (None, Some(_)) => (
            "环境变量 SOURCE_DATE_EPOCH",
            "改成 Unix 时间戳的秒数（如 1675814400 即 2023-02-08），或取消这个环境变量",
        ),
        (None, None) => (
            "duban.toml [project] today",
            "写成 today = \"2023-02-08\" 这样的 年-月-日",
        ),
    };
    let bad =
        |msg: String| anyhow::Error::new(Diagnostic::error(origin, 0, 0, msg).with_hint(hint));
    // 9999-12-31 23:59:59 UTC 之后的时间戳换算不出四位数的年份。
    if let (None, Some(s)) = (cli, sde) {
        if s.trim().parse::<u64>().is_ok_and(|n| n > 253_402_300_799) {
            return Err(bad(format!("值“{s}”超出范围（晚于 9999 年）")));
        }
    }
    match crate::date::resolve_today(cli, sde, cfg.project.today.as_deref()) {
        Err(crate::date::DateError::Epoch(v)) => Err(bad(format!("值“{v}”不是非负整数秒数"))),
        Err(e) => Err(bad(e.to_string())),
        Ok(Some((d, _))) if !crate::config::YEARS.contains(&d.year) => Err(bad(format!(
            "日期 {d} 的年份超出范围，应在 {}–{} 年之间（Excel 与 PDF 能表示的日期）",
            crate::config::YEARS.start(),
            crate::config::YEARS.end()
        ))),
        Ok(r) => Ok(r),
    }
}

/// 同 [`today_opt`]；都没有时取北京时间（UTC+8）的当天——全项目只在这里读系统时钟。
/// 结果在标准错误上第一行报出（带来源），便于复现：要固定日期就加 `--today`。
pub fn today(
    cli: Option<&str>,
    cfg: &crate::config::Config,
) -> anyhow::Result<(crate::date::Date, crate::date::TodaySource)> {
    today_from("--today", cli, cfg)
}

/// 同 [`today`]；`flag` 是命令行上给日期的选项名（`--today` 或 `--as-of`），报出来源时用它。
pub fn today_from(
    flag: &str,
    cli: Option<&str>,
    cfg: &crate::config::Config,
) -> anyhow::Result<(crate::date::Date, crate::date::TodaySource)> {
    use crate::date::TodaySource;
    let (date, source) = match today_opt(cli, cfg)? {
        Some(t) => t,
        None => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            (crate::date::china_date(secs), TodaySource::Clock)
        }
    };
    let from = match source {
        TodaySource::Cli => flag,
        other => other.label(),
    };
    eprintln!("日期：{}（来自 {from}）", date.chinese());
    Ok((date, source))
}

/// 本进程的说明（进程号与命令行），写进输出目录的锁：另一个 duban 撞锁时据此说明是谁占着。
pub fn holder() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("进程 {}：duban {}", std::process::id(), args.join(" "))
}

/// 在标准错误上报告每种角色实际用的字体。
pub fn print_fonts(lines: &[String]) {
    for l in lines {
        eprintln!("字体：{l}");
    }
}

/// 执行一条命令，返回进程退出码（0 成功，1 有错误诊断）。
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Check(a) => check::run(&cli.config, a),
        Command::Catalogue(a) => catalogue::run(&cli.config, a),
        Command::Units(a) => units::run(&cli.config, a),
        Command::Render(a) => render::run(&cli.config, a),
        Command::Build(a) => build::run(&cli.config, a),
        Command::Ingest(a) => ingest::run(&cli.config, a),
        Command::Templates(a) => templates::run(&cli.config, a),
        Command::Report(a) => report::run(&cli.config, a),
        Command::Archive(a) => archive::run(&cli.config, a),
        Command::Status(a) => status::run(&cli.config, a),
        Command::Remind(a) => remind::run(&cli.config, a),
        // parse_args 已处理；直接构造 Cli 调用时照样打印帮助。
        Command::Help(_) => Ok(parse_args(["duban", "--help"]).err().unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// 每个命令、每个选项都有中文说明和中文分组标题（以后加的选项忘了写也会被发现）。
    #[test]
    fn every_command_and_option_is_documented_in_chinese() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut stack = vec![cmd];
        let mut seen = 0;
        while let Some(c) = stack.pop() {
            let about = c.get_about().map(|s| s.to_string()).unwrap_or_default();
            assert!(has_cjk(&about), "命令 {} 没有中文说明", c.get_name());
            for a in c.get_arguments() {
                let help = a.get_help().map(|s| s.to_string()).unwrap_or_default();
                assert!(
                    has_cjk(&help),
                    "{} 的 {} 没有中文说明",
                    c.get_name(),
                    a.get_id()
                );
                let heading = a.get_help_heading().unwrap_or("");
                assert!(
                    ["选项", "参数"].contains(&heading),
                    "{} 的 {}",
                    c.get_name(),
                    a.get_id()
                );
                for v in a
                    .get_value_names()
                    .filter(|_| a.get_action().takes_values())
                    .unwrap_or_default()
                {
                    assert!(has_cjk(v), "{} 的 {} 值名 {v}", c.get_name(), a.get_id());
                }
                seen += 1;
            }
            stack.extend(c.get_subcommands().cloned());
        }
        assert!(seen > 20, "{seen}");
    }

    #[test]
    fn help_and_version_are_not_errors() {
        assert_eq!(parse_args(["duban", "--version"]).err(), Some(0));
        assert_eq!(parse_args(["duban", "biuld"]).err(), Some(2));
        let cli = parse_args(["duban", "build", "--unit", "区财政局"]).unwrap();
        assert!(matches!(cli.command, Command::Build(a) if a.units == ["区财政局"]));
    }

    #[test]
    fn error_message_keeps_argument_and_suggestion() {
        let e = Cli::try_parse_from(["duban", "catalouge"]).unwrap_err();
        let m = clap_error_message(&e);
        assert!(
            m.starts_with("错误：未知的子命令“catalouge”，你是不是要找“catalogue”？"),
            "{m}"
        );
        let e = Cli::try_parse_from(["duban", "units", "--fromat", "json"]).unwrap_err();
        let m = clap_error_message(&e);
        assert!(
            m.contains("未知的选项“--fromat”，你是不是要找“--format”？"),
            "{m}"
        );
        assert!(m.contains("duban units --help"), "{m}");
    }
}
