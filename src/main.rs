fn main() {
    let cli = match duban::cmd::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    match duban::cmd::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("错误：{err}");
            for cause in err.chain().skip(1) {
                eprintln!("  原因：{cause}");
            }
            std::process::exit(2);
        }
    }
}
