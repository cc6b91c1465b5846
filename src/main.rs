fn main() {
    tune_allocator();
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

/// glibc malloc 的参数（只改本进程的分配策略，输出不受影响；数字见 `cargo bench --bench build`）：
/// - 只用一个分配区：默认每个线程一个，各自留着大块空闲。30 倍规模（32,217 页）峰值常驻内存约 220 MB →
///   131–146 MB，10 倍 118 → 71–76 MB；代价是两个渲染线程抢分配区的锁，CPU 多两到四成（1 倍约 2.0 → 2.5 秒）。
/// - 1 MB 以下的块不单独 mmap：每个压缩流（每页内容、每份字体）都要一块约 300 KB 的窗口与哈希表，
///   默认的动态阈值下常常每次重新缺页、由内核清零（1 倍规模缺页 1.4 万 → 0.5 万）；更大的块（整份 PDF 的字节）用完即还。
/// - 堆顶空闲超过 4 MB 就还给内核：大文档排完后的空闲不一直占着常驻内存。
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    // SAFETY：mallopt 只设置 glibc 分配器参数，在第一个线程启动前调用；返回 0 表示未采纳，无害。
    unsafe {
        mallopt(M_ARENA_MAX, 1);
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
        mallopt(M_TRIM_THRESHOLD, 4 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
