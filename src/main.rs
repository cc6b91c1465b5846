use clap::Parser;

fn main() {
    let cli = duban::cmd::Cli::parse();
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
