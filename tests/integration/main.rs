//! 集成测试：每个功能一个模块，夹具在 tests/fixtures/。

mod build;
mod catalogue;
mod catalogue_conventions;
mod catalogue_input;
mod catalogue_structure;
mod check;
mod cli;
mod shipped;
mod submissions;
mod support;
mod typeset;
mod xlsx;
