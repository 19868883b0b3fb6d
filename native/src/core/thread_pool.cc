#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>

namespace dte {

namespace {
thread_local bool t_inside_pool = false;

// Spin this long for a new job / the end of a job before sleeping on a condition variable.
constexpr auto kSpin = std::chrono::microseconds(200);
// Chunks per thread in a parallel_for: more chunks balance better when a thread runs late.
constexpr int64_t kChunksPerThread = 4;
constexpr uint64_t kOpen = uint64_t{1} << 32;
constexpr uint64_t kCountMask = kOpen - 1;

struct InsideGuard {
  bool prev;
  InsideGuard() : prev(t_inside_pool) { t_inside_pool = true; }
  ~InsideGuard() { t_inside_pool = prev; }
};
}  // namespace

ThreadPool::ThreadPool(int n_threads) { start(n_threads); }

ThreadPool::~ThreadPool() { stop(); }

int ThreadPool::size() const { return n_threads_.load(std::memory_order_relaxed); }

void ThreadPool::start(int n_threads) {
  n_threads_.store(std::clamp(n_threads, 1, 256), std::memory_order_relaxed);
  quit_.store(false, std::memory_order_release);
  // Each worker starts from the current generation, so a job posted before it runs is not missed.
  const uint64_t gen = generation_.load(std::memory_order_acquire);
  for (int i = 1; i < size(); ++i) workers_.emplace_back([this, gen] { worker_main(gen); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lk(mutex_);
    quit_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void ThreadPool::resize(int n_threads) {
  std::lock_guard<std::mutex> call(call_mutex_);
  stop();
  start(n_threads);
}

void ThreadPool::run_chunks(const std::function<void(int64_t, int64_t)>& fn, int64_t n, int64_t chunks) {
  for (;;) {
    const int64_t c = next_chunk_.fetch_add(1, std::memory_order_acq_rel);
    if (c >= chunks) return;
    const int64_t b = n * c / chunks;
    const int64_t e = n * (c + 1) / chunks;
    if (b < e) fn(b, e);
  }
}

void ThreadPool::worker_main(uint64_t seen) {
  for (;;) {
    // Wait for a new generation: spin (yielding) briefly, then sleep.
    const auto spin_until = std::chrono::steady_clock::now() + kSpin;
    while (generation_.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < spin_until) {
      std::this_thread::yield();
    }
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lk(mutex_);
      wake_cv_.wait(lk, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (quit_.load(std::memory_order_acquire)) return;
    // Join the job only while it is open; a closed job is finished or finishing without us.
    uint64_t s = join_state_.load(std::memory_order_acquire);
    bool joined = false;
    while ((s & kOpen) != 0) {
      if (join_state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        joined = true;
        break;
      }
    }
    if (!joined) continue;
    {
      InsideGuard guard;
      try {
        run_chunks(*job_, job_n_, job_chunks_);
      } catch (...) {
        // Kernels do not throw; a throwing job must not kill the process.
      }
    }
    if (join_state_.fetch_sub(1, std::memory_order_acq_rel) - 1 == 0) {
      std::lock_guard<std::mutex> lk(mutex_);
      done_cv_.notify_all();
    }
  }
}

void ThreadPool::parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (t_inside_pool || size() == 1 || n == 1) {
    fn(0, n);
    return;
  }
  std::lock_guard<std::mutex> call(call_mutex_);
  const int threads = size();  // stable while call_mutex_ is held (resize takes it too)
  InsideGuard guard;
  if (threads == 1) {
    fn(0, n);
    return;
  }
  const int64_t chunks = std::min<int64_t>(n, int64_t{threads} * kChunksPerThread);
  job_ = &fn;
  job_n_ = n;
  job_chunks_ = chunks;
  next_chunk_.store(0, std::memory_order_relaxed);
  join_state_.store(kOpen, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lk(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_cv_.notify_all();
  std::exception_ptr err;
  try {
    run_chunks(fn, n, chunks);
  } catch (...) {
    err = std::current_exception();
    next_chunk_.store(chunks, std::memory_order_release);  // stop handing out chunks
  }
  // Close the job, then wait only for the workers that joined it.
  join_state_.fetch_and(~kOpen, std::memory_order_acq_rel);
  const auto spin_until = std::chrono::steady_clock::now() + kSpin;
  while ((join_state_.load(std::memory_order_acquire) & kCountMask) != 0 && std::chrono::steady_clock::now() < spin_until) {
    std::this_thread::yield();
  }
  if ((join_state_.load(std::memory_order_acquire) & kCountMask) != 0) {
    std::unique_lock<std::mutex> lk(mutex_);
    done_cv_.wait(lk, [&] { return (join_state_.load(std::memory_order_acquire) & kCountMask) == 0; });
  }
  job_ = nullptr;
  if (err) std::rethrow_exception(err);
}

namespace {
int default_threads() {
  if (const char* env = std::getenv("DTE_NUM_THREADS")) {
    const int v = std::atoi(env);
    if (v > 0) return v;
  }
  const unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}
}  // namespace

ThreadPool& global_pool() {
  static ThreadPool pool(default_threads());
  return pool;
}

void set_num_threads(int n) {
  ThreadPool& p = global_pool();
  if (std::clamp(n, 1, 256) != p.size()) p.resize(n);
}

int num_threads() { return global_pool().size(); }

}  // namespace dte
