#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>

namespace dte {

namespace {
thread_local bool t_inside_pool = false;

// Spin this long for a new job / job completion before sleeping on a condition variable.
constexpr auto kSpin = std::chrono::microseconds(200);

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
  quit_ = false;
  // Each worker starts from the current generation, so a job posted before it runs is not missed.
  const uint64_t gen = generation_.load(std::memory_order_acquire);
  for (int i = 1; i < size(); ++i) workers_.emplace_back([this, i, gen] { worker_main(i, gen); });
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lk(mutex_);
    quit_ = true;
    generation_.fetch_add(1, std::memory_order_release);
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

void ThreadPool::worker_main(int index, uint64_t seen) {
  for (;;) {
    // Wait for a new generation: spin (yielding) briefly, then sleep.
    const auto spin_until = std::chrono::steady_clock::now() + kSpin;
    uint64_t g = generation_.load(std::memory_order_acquire);
    while (g == seen && std::chrono::steady_clock::now() < spin_until) {
      std::this_thread::yield();
      g = generation_.load(std::memory_order_acquire);
    }
    if (g == seen) {
      std::unique_lock<std::mutex> lk(mutex_);
      wake_cv_.wait(lk, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      g = generation_.load(std::memory_order_acquire);
    }
    seen = g;
    const std::function<void(int64_t, int64_t)>* job;
    int64_t n;
    int chunks;
    {
      std::lock_guard<std::mutex> lk(mutex_);
      if (quit_) return;
      job = job_;
      n = job_n_;
      chunks = job_chunks_;
    }
    if (job != nullptr && index < chunks) {
      const int64_t b = n * index / chunks;
      const int64_t e = n * (index + 1) / chunks;
      InsideGuard guard;
      if (b < e) {
        try {
          (*job)(b, e);
        } catch (...) {
          // Kernels do not throw; a throwing job must not kill the process.
        }
      }
    }
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
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
  if (threads == 1) {
    InsideGuard guard;
    fn(0, n);
    return;
  }
  const int chunks = static_cast<int>(std::min<int64_t>(n, threads));
  pending_.store(threads - 1, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lk(mutex_);
    job_ = &fn;
    job_n_ = n;
    job_chunks_ = chunks;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_cv_.notify_all();
  std::exception_ptr err;
  {
    InsideGuard guard;
    try {
      fn(0, n / chunks);
    } catch (...) {
      err = std::current_exception();
    }
  }
  const auto spin_until = std::chrono::steady_clock::now() + kSpin;
  while (pending_.load(std::memory_order_acquire) != 0 && std::chrono::steady_clock::now() < spin_until) {
    std::this_thread::yield();
  }
  if (pending_.load(std::memory_order_acquire) != 0) {
    std::unique_lock<std::mutex> lk(mutex_);
    done_cv_.wait(lk, [&] { return pending_.load(std::memory_order_acquire) == 0; });
  }
  {
    std::lock_guard<std::mutex> lk(mutex_);
    job_ = nullptr;
  }
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
