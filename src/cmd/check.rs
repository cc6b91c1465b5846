//! `duban check`（待实现，见 issue 2）。

use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_config: &Path, _args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("尚未实现")
}
