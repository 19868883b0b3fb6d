// Persistent worker pool. parallel_for splits [0, n) into one contiguous chunk per thread
// (the calling thread runs chunk 0) and returns when all chunks are done. Workers sleep on a
// condition variable between jobs after a short spin. One caller at a time: a mutex serialises
// concurrent callers (e.g. a forward on a libuv worker while the JS thread calls an op).
// Nested calls from inside fn run inline on the calling worker.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
#include <atomic>

namespace dte {

class ThreadPool {
 public:
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// Threads taking part in a parallel_for (workers + the caller).
  int size() const;
  /// Runs fn(begin, end) over [0, n) split into at most size() contiguous chunks.
  void parallel_for(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn);
  /// Changes the number of threads (joins and respawns the workers).
  void resize(int n_threads);

 private:
  void start(int n_threads);
  void stop();
  void worker_main(int index, uint64_t seen);

  std::atomic<int> n_threads_{1};
  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // serialises callers
  std::mutex mutex_;
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0;
  int job_chunks_ = 0;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  bool quit_ = false;
};

/// The process-wide pool used by every kernel (created on first use with hardware_concurrency threads,
/// or DTE_NUM_THREADS when set).
ThreadPool& global_pool();
/// Sets the global pool's thread count (clamped to [1, 256]).
void set_num_threads(int n);
/// The global pool's thread count.
int num_threads();

}  // namespace dte
