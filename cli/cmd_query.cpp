// normkit query BUNDLE WORDS... : full-text search over a bundle's normkit.sqlite (FTS5).
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "generators/bundle/bundle.h"

namespace normkit::cli {

namespace {

namespace fs = std::filesystem;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// True when `word` has something the FTS5 tokenizer indexes (a letter, digit or non-ASCII
// character); a word of punctuation alone would be an empty phrase.
bool has_token_chars(std::string_view word) {
  for (unsigned char c : word)
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      return true;
  return false;
}

}  // namespace

// Turns the user's words into an FTS5 query that matches every word as written: each word is a
// quoted string (quotes doubled), so AND, NEAR, column filters, '^', parentheses and quotes in
// the input are text, never syntax. A trailing '*' is kept as a prefix match.
std::string fts5_query(const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& arg : words) {
    size_t start = 0;
    while (start < arg.size()) {
      size_t end = arg.find_first_of(" \t\r\n", start);
      if (end == std::string::npos) end = arg.size();
      std::string word = bundle::sanitize_utf8(std::string_view(arg).substr(start, end - start));
      start = end + 1;
      bool prefix = false;
      if (word.size() > 1 && word.back() == '*') {
        word.pop_back();
        prefix = true;
      }
      if (!has_token_chars(word)) continue;
      std::string quoted = "\"";
      for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += "\"";
      if (prefix) quoted += "*";
      query += (query.empty() ? "" : " ") + quoted;
    }
  }
  return query;
}

int run_query(const ParsedArgs& args, Context& ctx) {
  if (args.positional.size() < 2) {
    ctx.err << "normkit query: error: usage: normkit query BUNDLE WORDS... [--kind K] [--work W] "
               "[--class C] [--limit N]\n";
    return kExitUsage;
  }
  long limit = 20;
  if (args.values.count("--limit")) {
    const std::string v = args.value("--limit");
    char* end = nullptr;
    limit = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || limit < 0) {
      ctx.err << "normkit query: error: --limit must be a whole number >= 0\n";
      return kExitUsage;
    }
  }
  fs::path path = args.positional[0];
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= std::string(bundle::kSqlitePath);
  if (!fs::is_regular_file(path, ec)) {
    ctx.err << "normkit query: error: '" << path.string() << "' is not a bundle (no such file)\n";
    return kExitIo;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  const auto db_error = [&](const std::string& what) {
    ctx.err << "normkit query: error: " << what << " '" << path.string()
            << "': " << (db ? sqlite3_errmsg(db.get()) : "cannot open") << "\n";
    return kExitIo;
  };
  if (rc != SQLITE_OK) return db_error("cannot open");
  sqlite3_exec(db.get(), "PRAGMA query_only = ON", nullptr, nullptr, nullptr);

  // The bundle's format major version must be one this normkit reads.
  {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.get(), "PRAGMA user_version", -1, &s, nullptr) != SQLITE_OK)
      return db_error("cannot read");
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(s);
    if (sqlite3_step(s) != SQLITE_ROW) return db_error("cannot read");
    const int version = sqlite3_column_int(s, 0);
    if (version != bundle::kFormatMajor) {
      ctx.err << "normkit query: error: '" << path.string() << "' is bundle format " << version
              << ", this normkit reads format " << bundle::kFormatMajor << "\n";
      return kExitIo;
    }
  }

  const std::string match = fts5_query(
      std::vector<std::string>(args.positional.begin() + 1, args.positional.end()));
  nlohmann::json results = nlohmann::json::array();
  if (!match.empty()) {
    static constexpr const char* kSql = R"SQL(
      SELECT e.work, e.edition, p.id, p.position_id, p.label, p.kind, p.class, p.level, p.text,
             snippet(provisions_fts, 2, '[', ']', '...', 16), bm25(provisions_fts) AS score
      FROM provisions_fts
      JOIN provisions p ON p.provision_id = provisions_fts.rowid
      JOIN editions e ON e.edition_id = p.edition_id
      WHERE provisions_fts MATCH ?1
        AND (?2 IS NULL OR p.kind = ?2) AND (?3 IS NULL OR e.work = ?3)
        AND (?4 IS NULL OR p.class = ?4)
      ORDER BY score, p.provision_id
      LIMIT ?5)SQL";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.get(), kSql, -1, &s, nullptr) != SQLITE_OK) return db_error("cannot query");
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(s);
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    const auto bind_filter = [&](int col, const char* option) {
      if (args.values.count(option))
        sqlite3_bind_text(s, col, args.value(option).c_str(), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(s, col);
    };
    bind_filter(2, "--kind");
    bind_filter(3, "--work");
    bind_filter(4, "--class");
    sqlite3_bind_int64(s, 5, limit == 0 ? -1 : limit);
    const auto col = [&](int i) {
      const unsigned char* t = sqlite3_column_text(s, i);
      return std::string(t ? reinterpret_cast<const char*>(t) : "");
    };
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
      results.push_back({{"work", col(0)}, {"edition", col(1)}, {"id", col(2)},
                         {"position_id", col(3)}, {"label", col(4)}, {"kind", col(5)},
                         {"class", col(6)}, {"level", col(7)}, {"text", col(8)},
                         {"snippet", col(9)}});
    }
    if (step != SQLITE_DONE) return db_error("cannot query");
  }

  if (ctx.format == OutputFormat::Json) {
    ctx.out << results.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  for (const nlohmann::json& r : results) {
    std::string grade;
    if (!r["class"].get<std::string>().empty()) grade += ", Class " + r["class"].get<std::string>();
    if (!r["level"].get<std::string>().empty()) grade += ", LOE " + r["level"].get<std::string>();
    ctx.out << r["work"].get<std::string>() << "/" << r["edition"].get<std::string>() << "  "
            << r["label"].get<std::string>() << " (" << r["kind"].get<std::string>() << grade
            << ")  " << r["id"].get<std::string>() << "\n    " << r["snippet"].get<std::string>()
            << "\n";
  }
  ctx.err << "normkit query: " << results.size() << " provision(s)\n";
  return kExitOk;
}

}  // namespace normkit::cli
