//! 集成测试：每个功能一个模块，夹具在 tests/fixtures/。

mod catalogue;
mod cli;
mod typeset;
