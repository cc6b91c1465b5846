//! 命令行基本行为。

use std::process::Command;

fn duban() -> Command {
    Command::new(env!("CARGO_BIN_EXE_duban"))
}

#[test]
fn help_is_chinese() {
    let out = duban().arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("督办"), "{text}");
    assert!(text.contains("check"), "{text}");
}
