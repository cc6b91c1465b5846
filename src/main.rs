fn main() {
    let cli = match duban::cmd::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    match duban::cmd::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            // 每条报错一次、中文、带位置与提示：见 `diag::error_report`。
            eprintln!("{}", duban::diag::error_report(&err));
            std::process::exit(2);
        }
    }
}
