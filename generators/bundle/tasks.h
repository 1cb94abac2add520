// A small task pool for the bundle generator: worker threads plus the calling thread, which runs
// queued tasks whenever it waits (help_until), so one thread works as well as many. Tasks never
// wait for each other; only the calling thread waits. Results go to fixed slots, so what a task
// produces never depends on which thread ran it or when.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace normkit::bundle {

class TaskPool {
 public:
  explicit TaskPool(unsigned workers) {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  // Drops the tasks still queued (after a failure) and joins the workers once their current
  // task ends.
  ~TaskPool() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      shared_.clear();
      workers_only_.clear();
    }
    queued_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues a task. A `workers_only` task (a long one the caller must not get stuck in) is left
  // to the worker threads, unless there are none: then help_until runs it too.
  void submit(std::function<void()> task, bool workers_only = false) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      (workers_only && !threads_.empty() ? workers_only_ : shared_).push_back(std::move(task));
    }
    queued_.notify_one();
  }

  // Queues a task ahead of every other shared one (work that a running task will soon wait for).
  void submit_first(std::function<void()> task) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      shared_.push_front(std::move(task));
    }
    queued_.notify_one();
  }

  // Runs queued tasks on this thread until done() holds (checked under the pool's lock each
  // time a task ends: set what done() reads before the task returns) or a task has thrown;
  // then rethrows the first exception a task threw.
  template <class Done>
  void help_until(Done done) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!error_ && !done()) {
      if (shared_.empty()) {
        ended_.wait(lock);
        continue;
      }
      std::function<void()> task = std::move(shared_.front());
      shared_.pop_front();
      run(task, lock);
    }
    if (error_) std::rethrow_exception(error_);
  }

  // Runs everything queued (and waits for the workers' current tasks).
  void finish() {
    help_until([this] { return shared_.empty() && workers_only_.empty() && busy_ == 0; });
  }

 private:
  // Runs a task just taken from a queue, with the lock held on entry and on return.
  void run(std::function<void()>& task, std::unique_lock<std::mutex>& lock) {
    ++busy_;
    lock.unlock();
    std::exception_ptr error;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    task = nullptr;  // what the task captured goes now, not after the wake-up
    lock.lock();
    --busy_;
    if (error && !error_) error_ = error;
    ended_.notify_all();
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      std::deque<std::function<void()>>& q = !workers_only_.empty() ? workers_only_ : shared_;
      if (q.empty()) {
        queued_.wait(lock);
        continue;
      }
      std::function<void()> task = std::move(q.front());
      q.pop_front();
      run(task, lock);
    }
  }

  std::mutex mutex_;
  std::condition_variable queued_;  // a task was queued, or the pool stops
  std::condition_variable ended_;   // a task ended
  std::deque<std::function<void()>> shared_, workers_only_;
  std::vector<std::thread> threads_;
  unsigned busy_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace normkit::bundle
