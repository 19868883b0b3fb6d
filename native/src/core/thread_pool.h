// Persistent worker pool. parallel_for splits [0, n) into contiguous chunks (up to 4 per thread) that
// the calling thread and the workers claim from a shared counter, and returns when every chunk is done.
// Workers join a job only while it is open; the caller closes it once all chunks are claimed and waits
// just for the workers that joined, so a worker the OS schedules late (an oversubscribed machine)
// delays nothing. Workers spin briefly, then sleep on a condition variable. One caller at a time: a
// mutex serialises concurrent callers (e.g. a forward on a libuv worker while the JS thread calls an
// op). Nested calls from inside fn run inline on the calling thread.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dte {

class ThreadPool {
 public:
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// Threads taking part in a parallel_for (workers + the caller).
  int size() const;
  /// Runs fn(begin, end) over [0, n) in contiguous chunks, at most size() of them at once.
  void parallel_for(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn);
  /// Changes the number of threads (joins and respawns the workers).
  void resize(int n_threads);

 private:
  void start(int n_threads);
  void stop();
  void worker_main(uint64_t seen);
  void run_chunks(const std::function<void(int64_t, int64_t)>& fn, int64_t n, int64_t chunks);

  std::atomic<int> n_threads_{1};
  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // serialises callers
  std::mutex mutex_;       // guards the condition variables
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  // the open job (written by the caller before it opens the job, read by workers after joining)
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0;
  int64_t job_chunks_ = 0;
  std::atomic<int64_t> next_chunk_{0};
  std::atomic<uint64_t> generation_{0};
  // bit 32: job open; low 32 bits: workers inside the job
  std::atomic<uint64_t> join_state_{0};
  std::atomic<bool> quit_{false};
};

/// The process-wide pool used by every kernel (created on first use with hardware_concurrency threads,
/// or DTE_NUM_THREADS when set).
ThreadPool& global_pool();
/// Sets the global pool's thread count (clamped to [1, 256]).
void set_num_threads(int n);
/// The global pool's thread count.
int num_threads();

}  // namespace dte
