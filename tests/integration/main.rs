//! 集成测试：每个功能一个模块，夹具在 tests/fixtures/。

mod build;
mod catalogue;
mod check;
mod cli;
mod print;
mod shipped;
mod submissions;
mod support;
mod typeset;
mod xlsx;
