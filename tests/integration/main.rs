//! 集成测试：每个功能一个模块，夹具在 tests/fixtures/。

mod archive;
mod build;
mod catalogue;
mod catalogue_conventions;
mod catalogue_input;
mod catalogue_structure;
mod check;
mod cli;
mod hostile;
mod ingest;
mod ingest_bad;
mod print;
mod remind;
mod report;
mod safety;
mod shipped;
mod status;
mod status_html;
mod submissions;
mod support;
mod typeset;
mod xlsx;
