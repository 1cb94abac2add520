// normkit.sqlite: the corpus as tables with foreign keys, indexes, an FTS5 index over provision
// text and views for the common questions. Built straight into its file in the staging
// directory when the output streams there (the database never sits in memory), else in an
// in-memory database that is serialized; the same corpus gives the same bytes either way.
#include <sqlite3.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "generators/bundle/bundle.h"

namespace normkit::bundle {

namespace {

// The schema, executed as is; docs/bundle-format.md describes it and a test pins its text.
constexpr const char* kSchemaSql = R"SQL(
CREATE TABLE documents (
  work TEXT PRIMARY KEY NOT NULL
) STRICT;
CREATE TABLE editions (
  edition_id INTEGER PRIMARY KEY,
  work TEXT NOT NULL REFERENCES documents(work),
  edition TEXT NOT NULL,
  lang TEXT NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  subtitle TEXT NOT NULL,
  model_version TEXT NOT NULL,
  json_path TEXT NOT NULL,
  UNIQUE (work, edition)
) STRICT;
CREATE TABLE organizations (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  abbrev TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (edition_id, seq)
) STRICT;
CREATE TABLE word_usage (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  word TEXT NOT NULL,
  force TEXT NOT NULL,
  from_document INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (edition_id, word)
) STRICT;
CREATE TABLE sections (
  section_id INTEGER PRIMARY KEY,
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  id TEXT NOT NULL,
  position_id TEXT NOT NULL,
  label TEXT NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL,
  depth INTEGER NOT NULL,
  parent_section_id INTEGER REFERENCES sections(section_id),
  text TEXT NOT NULL
) STRICT;
CREATE TABLE provisions (
  provision_id INTEGER PRIMARY KEY,
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  section_id INTEGER REFERENCES sections(section_id),
  parent_provision_id INTEGER REFERENCES provisions(provision_id),
  id TEXT NOT NULL,
  position_id TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  class TEXT NOT NULL,
  level TEXT NOT NULL,
  grading TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL
) STRICT;
CREATE TABLE definitions (
  definition_id INTEGER PRIMARY KEY,
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  id TEXT NOT NULL,
  position_id TEXT NOT NULL,
  label TEXT NOT NULL,
  term TEXT NOT NULL,
  alternates TEXT NOT NULL,
  source TEXT NOT NULL,
  explanation TEXT NOT NULL
) STRICT;
CREATE TABLE catalog_entries (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  year TEXT NOT NULL,
  work TEXT NOT NULL,
  href TEXT NOT NULL,
  title TEXT NOT NULL,
  organizations TEXT NOT NULL,
  endorsement TEXT NOT NULL,
  PRIMARY KEY (edition_id, seq)
) STRICT;
CREATE TABLE refs (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  href TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (edition_id, seq)
) STRICT;
CREATE TABLE keywords (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  section_id INTEGER REFERENCES sections(section_id),
  provision_id INTEGER REFERENCES provisions(provision_id),
  word TEXT NOT NULL,
  force TEXT NOT NULL,
  as_written TEXT NOT NULL
) STRICT;
CREATE TABLE term_mentions (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  section_id INTEGER REFERENCES sections(section_id),
  provision_id INTEGER REFERENCES provisions(provision_id),
  definition_id INTEGER REFERENCES definitions(definition_id),
  as_written TEXT NOT NULL
) STRICT;
CREATE VIRTUAL TABLE provisions_fts USING fts5(
  label, title, text, content='provisions', content_rowid='provision_id',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIEW provision_details AS
  SELECT p.provision_id, e.work, e.edition, p.id, p.position_id, p.label, p.kind, p.number,
         p.class, p.level, p.title, p.text, s.id AS section, s.title AS section_title
  FROM provisions p JOIN editions e USING (edition_id)
  LEFT JOIN sections s ON s.section_id = p.section_id;
CREATE VIEW mandatory_provisions AS
  SELECT DISTINCT d.* FROM provision_details d
  JOIN keywords k ON k.provision_id = d.provision_id
  WHERE k.force IN ('mandatory', 'prohibited');
CREATE VIEW class_i_recommendations AS
  SELECT * FROM provision_details WHERE kind = 'recommendation' AND class = 'I';
CREATE VIEW term_usage AS
  SELECT e.work, e.edition, df.id AS definition, df.term, t.as_written,
         p.id AS provision, p.label AS provision_label, s.id AS section
  FROM term_mentions t JOIN editions e USING (edition_id)
  JOIN definitions df ON df.definition_id = t.definition_id
  LEFT JOIN provisions p ON p.provision_id = t.provision_id
  LEFT JOIN sections s ON s.section_id = t.section_id;
)SQL";

// Indexes, created after the rows are in: one sorted build each instead of updates per row.
constexpr const char* kIndexSql = R"SQL(
CREATE INDEX editions_work ON editions(work);
CREATE INDEX sections_edition ON sections(edition_id);
CREATE INDEX sections_parent ON sections(parent_section_id);
CREATE INDEX sections_id ON sections(id);
CREATE INDEX provisions_edition ON provisions(edition_id);
CREATE INDEX provisions_section ON provisions(section_id);
CREATE INDEX provisions_parent ON provisions(parent_provision_id);
CREATE INDEX provisions_id ON provisions(id);
CREATE INDEX provisions_kind_class ON provisions(kind, class);
CREATE INDEX definitions_edition ON definitions(edition_id);
CREATE INDEX definitions_id ON definitions(id);
CREATE INDEX keywords_provision ON keywords(provision_id);
CREATE INDEX keywords_force ON keywords(force);
CREATE INDEX term_mentions_definition ON term_mentions(definition_id);
CREATE INDEX term_mentions_provision ON term_mentions(provision_id);
)SQL";

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Why the build failed, read from the connection right after the failing call: an I/O error
// (a full disk, a file size limit) is told apart, with the system's reason, so that it is
// reported as the output error it is.
struct Failure {
  bool failed = false;
  bool io = false;
  std::string message;
  void record(sqlite3* db, const std::string& what = {}) {
    if (failed) return;
    failed = true;
    const int code = sqlite3_extended_errcode(db) & 0xff;
    io = code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN;
    // The unix VFS keeps the errno of the failed read or write with the file; the
    // connection's copy is often lost by then.
    int err = 0;
    if (io && sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &err) != SQLITE_OK) err = 0;
    if (io && err == 0) err = sqlite3_system_errno(db);
    message = io && err != 0 ? std::strerror(err) : what + sqlite3_errmsg(db);
  }
};

// A prepared insert with positional parameters; every text is made valid UTF-8 first.
class Insert {
 public:
  Insert(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    ok_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) == SQLITE_OK;
    if (!ok_) failure_.record(db);
    stmt_.reset(s);
  }
  bool ok() const { return ok_; }
  // The text must stay alive until run(): valid UTF-8 (nearly always) is bound without a copy.
  Insert& text(std::string_view v) {
    if (is_valid_utf8(v)) {
      sqlite3_bind_text64(stmt_.get(), ++col_, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      const std::string clean = sanitize_utf8(v);
      sqlite3_bind_text64(stmt_.get(), ++col_, clean.data(), clean.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    return *this;
  }
  // Text known to be valid UTF-8 (SqliteDocument's texts): bound as is, unchecked.
  Insert& valid_text(std::string_view v) {
    sqlite3_bind_text64(stmt_.get(), ++col_, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
    return *this;
  }
  Insert& integer(int64_t v) {
    sqlite3_bind_int64(stmt_.get(), ++col_, v);
    return *this;
  }
  // A 1-based row id, or NULL for "none" (index < 0).
  Insert& ref(int64_t rowid_or_zero) {
    if (rowid_or_zero > 0) sqlite3_bind_int64(stmt_.get(), ++col_, rowid_or_zero);
    else sqlite3_bind_null(stmt_.get(), ++col_);
    return *this;
  }
  bool run() {
    col_ = 0;
    const int rc = sqlite3_step(stmt_.get());
    if (rc != SQLITE_DONE && ok_) {  // keep the first failure: later calls reset it
      ok_ = false;
      failure_.record(sqlite3_db_handle(stmt_.get()), "insert failed: ");
    }
    sqlite3_reset(stmt_.get());
    return rc == SQLITE_DONE;
  }
  const Failure& failure() const { return failure_; }

 private:
  Stmt stmt_;
  int col_ = 0;
  bool ok_ = false;
  Failure failure_;
};

bool exec(sqlite3* db, const char* sql, Failure& failure) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  failure.record(db);
  return false;
}

std::string organizations_json(const std::vector<Organization>& orgs) {
  // The same objects as in the document JSON.
  nlohmann::json out = nlohmann::json::array();
  for (const Organization& o : orgs)
    out.push_back({{"name", sanitize_utf8(o.name)}, {"abbrev", sanitize_utf8(o.abbrev)},
                   {"role", to_string(o.role)}});
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string alternates_json(const std::vector<std::string>& alternates) {
  // The same array of strings as in the document JSON.
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& a : alternates) out.push_back(sanitize_utf8(a));
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

SqliteDocument prepare_sqlite_document(const Document& doc) {
  SqliteDocument p;
  p.d = extract_document(doc);
  p.path = sanitize_utf8(document_path(doc));
  p.usage_explanations.reserve(doc.word_usage.size());
  for (const KeywordUsage& k : doc.word_usage)
    p.usage_explanations.push_back(blocks_text(k.explanation));
  p.definition_alternates.reserve(doc.definitions.size());
  p.definition_explanations.reserve(doc.definitions.size());
  for (const Definition& def : doc.definitions) {
    p.definition_alternates.push_back(alternates_json(def.alternates));
    p.definition_explanations.push_back(blocks_text(def.explanation));
  }
  p.catalog_titles.reserve(doc.catalog.size());
  p.catalog_organizations.reserve(doc.catalog.size());
  p.catalog_endorsements.reserve(doc.catalog.size());
  for (const CatalogEntry& c : doc.catalog) {
    p.catalog_titles.push_back(sanitize_utf8(plain_text(c.title)));
    p.catalog_organizations.push_back(organizations_json(c.organizations));
    p.catalog_endorsements.push_back(sanitize_utf8(plain_text(c.endorsement)));
  }
  p.reference_texts.reserve(doc.references.size());
  for (const Reference& r : doc.references)
    p.reference_texts.push_back(sanitize_utf8(plain_text(r.content)));
  return p;
}

void SqliteImage::reset() {
  if (db_) sqlite3_close(db_);
  db_ = nullptr;
  bytes_ = {};
}

namespace {

bool fill(sqlite3* db, const Corpus& corpus, Failure& failure, const std::atomic<bool>* cancel,
          SqliteFeed* feed, SqliteTimes& times);

}  // namespace

bool build_sqlite(const Corpus& corpus, const std::filesystem::path* file, SqliteImage& image,
                  Diagnostics& diags, const std::atomic<bool>* cancel, SqliteFeed* feed,
                  SqliteTimes* times) {
  // SQLite's memory statistics take a global mutex on every allocation; normkit reads none of
  // them. Possible only before SQLite is initialized in this process (else a harmless no-op).
  static const bool no_memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)no_memory_statistics;
  SqliteTimes unused_times;
  image.reset();
  sqlite3* raw = nullptr;
  Failure failure;
  bool opened = false;
  if (file) {
    opened = sqlite3_open_v2(file->c_str(), &raw,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
                                 SQLITE_OPEN_NOMUTEX,
                             nullptr) == SQLITE_OK;
  } else {
    // Deserializing an empty image turns the in-memory database into a memdb one: a single
    // growable buffer that sqlite3_serialize hands out without a copy (SQLITE_SERIALIZE_NOCOPY).
    opened = sqlite3_open_v2(":memory:", &raw,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr) == SQLITE_OK &&
             sqlite3_deserialize(raw, "main", nullptr, 0, 0,
                                 SQLITE_DESERIALIZE_RESIZEABLE | SQLITE_DESERIALIZE_FREEONCLOSE) == SQLITE_OK;
  }
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (!opened) {
    if (raw) failure.record(raw);
    if (!file) {
      diags.error("sqlite", "SQLite: cannot open an in-memory database");
    } else if (failure.io) {
      diags.error("io", "cannot create '" + file->string() + "': " + failure.message);
    } else {
      diags.error("sqlite", "SQLite: cannot create '" + file->string() + "': " + failure.message);
    }
    return false;
  }
  if (!fill(db.get(), corpus, failure, cancel, feed, times ? *times : unused_times)) {
    if (!failure.failed) return false;  // cancelled
    if (failure.io && file) diags.error("io", "cannot write '" + file->string() + "': " + failure.message);
    else diags.error("sqlite", "SQLite: " + failure.message);
    return false;
  }
  if (file) {
    // Closing writes nothing more (no journal, everything committed); a failure is still one.
    if (sqlite3_close(db.release()) != SQLITE_OK) {
      diags.error("io", "cannot close '" + file->string() + "'");
      return false;
    }
    return true;
  }
  sqlite3_int64 size = 0;
  const unsigned char* data = sqlite3_serialize(db.get(), "main", &size, SQLITE_SERIALIZE_NOCOPY);
  if (!data) {
    diags.error("sqlite", "SQLite: cannot serialize the database");
    return false;
  }
  image.bytes_ = std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
  image.db_ = db.release();
  return true;
}

namespace {

// CPU seconds (user + system) of the calling thread so far.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool fill(sqlite3* db, const Corpus& corpus, Failure& failure, const std::atomic<bool>* cancel,
          SqliteFeed* feed, SqliteTimes& times) {
  const double cpu_start = thread_cpu_seconds();
  // No journal and no syncs: a failed build is thrown away whole, never repaired. One
  // exclusive lock for the whole build; the page cache spills to the file (or memory image)
  // as it fills.
  const std::string pragmas = "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; "
                              "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
                              "PRAGMA user_version = " + std::to_string(kFormatMajor) + ";";
  if (!exec(db, pragmas.c_str(), failure) || !exec(db, kSchemaSql, failure) ||
      !exec(db, "BEGIN", failure))
    return false;

  Insert document(db, "INSERT INTO documents VALUES (?)");
  Insert edition(db, "INSERT INTO editions VALUES (?,?,?,?,?,?,?,?,?)");
  Insert organization(db, "INSERT INTO organizations VALUES (?,?,?,?,?)");
  Insert usage(db, "INSERT OR IGNORE INTO word_usage VALUES (?,?,?,?,?)");
  Insert section(db, "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?)");
  Insert provision(db, "INSERT INTO provisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Insert definition(db, "INSERT INTO definitions VALUES (?,?,?,?,?,?,?,?,?)");
  Insert catalog(db, "INSERT INTO catalog_entries VALUES (?,?,?,?,?,?,?,?,?,?)");
  Insert reference(db, "INSERT INTO refs VALUES (?,?,?,?,?)");
  Insert keyword(db, "INSERT INTO keywords VALUES (?,?,?,?,?,?)");
  Insert mention(db, "INSERT INTO term_mentions VALUES (?,?,?,?,?)");
  for (Insert* i : {&document, &edition, &organization, &usage, &section, &provision, &definition,
                    &catalog, &reference, &keyword, &mention})
    if (!i->ok()) {
      failure = i->failure();
      return false;
    }

  // Row ids are assigned here, in corpus order, so they are the same on every run.
  int64_t section_base = 0, provision_base = 0, definition_base = 0;
  const std::string* previous_work = nullptr;
  for (size_t di = 0; di < corpus.documents.size(); ++di) {
    if (cancel && *cancel) return false;
    const Document& doc = corpus.documents[di].doc;
    SqliteDocument local;
    if (!feed) local = prepare_sqlite_document(doc);
    const SqliteDocument& prepared = feed ? feed->get(di) : local;
    const ExtractedDocument& d = prepared.d;
    const int64_t edition_id = static_cast<int64_t>(di) + 1;
    if (!previous_work || *previous_work != doc.work) document.text(doc.work).run();
    previous_work = &doc.work;
    edition.integer(edition_id).text(doc.work).text(doc.edition).text(doc.lang)
        .text(to_string(doc.type)).text(d.title).text(d.subtitle).text(doc.model_version)
        .valid_text(prepared.path).run();
    for (size_t i = 0; i < doc.meta.organizations.size(); ++i) {
      const Organization& o = doc.meta.organizations[i];
      organization.integer(edition_id).integer(static_cast<int64_t>(i) + 1).text(o.name)
          .text(o.abbrev).text(to_string(o.role)).run();
    }
    for (size_t i = 0; i < doc.word_usage.size(); ++i) {
      const KeywordUsage& k = doc.word_usage[i];
      usage.integer(edition_id).text(k.word).valid_text(to_string(k.force))
          .integer(k.from_document ? 1 : 0).valid_text(prepared.usage_explanations[i]).run();
    }
    for (size_t i = 0; i < d.sections.size(); ++i) {
      const ExtractedSection& s = d.sections[i];
      const Labeled& l = *s.labeled;
      section.integer(section_base + static_cast<int64_t>(i) + 1).integer(edition_id).text(l.id)
          .text(l.position_id).text(l.label).text(l.number).text(s.title).integer(s.depth)
          .ref(s.parent >= 0 ? section_base + s.parent + 1 : 0).valid_text(s.text.plain).run();
    }
    for (size_t i = 0; i < d.provisions.size(); ++i) {
      const ExtractedProvision& p = d.provisions[i];
      const Labeled& l = *p.labeled;
      provision.integer(provision_base + static_cast<int64_t>(i) + 1).integer(edition_id)
          .ref(p.section >= 0 ? section_base + p.section + 1 : 0)
          .ref(p.parent_provision >= 0 ? provision_base + p.parent_provision + 1 : 0)
          .text(l.id).text(l.position_id).text(l.label).valid_text(to_string(l.kind)).text(l.number)
          .text(l.cls).text(l.level).text(l.grading).text(p.title).valid_text(p.text.plain).run();
    }
    std::unordered_map<std::string_view, int64_t> definition_ids;
    for (size_t i = 0; i < doc.definitions.size(); ++i) {
      const Definition& def = doc.definitions[i];
      const int64_t id = definition_base + static_cast<int64_t>(i) + 1;
      definition_ids.emplace(def.id, id);
      definition.integer(id).integer(edition_id).text(def.id).text(def.position_id).text(def.label)
          .text(def.term).valid_text(prepared.definition_alternates[i]).text(def.source)
          .valid_text(prepared.definition_explanations[i]).run();
    }
    for (size_t i = 0; i < doc.catalog.size(); ++i) {
      const CatalogEntry& c = doc.catalog[i];
      catalog.integer(edition_id).integer(static_cast<int64_t>(i) + 1).text(c.id)
          .valid_text(to_string(c.kind)).text(c.year).text(c.work).text(c.href)
          .valid_text(prepared.catalog_titles[i]).valid_text(prepared.catalog_organizations[i])
          .valid_text(prepared.catalog_endorsements[i]).run();
    }
    for (size_t i = 0; i < doc.references.size(); ++i) {
      const Reference& r = doc.references[i];
      reference.integer(edition_id).integer(static_cast<int64_t>(i) + 1).text(r.id).text(r.href)
          .valid_text(prepared.reference_texts[i]).run();
    }
    for (const Mention& m : d.mentions) {
      const int64_t section_id = m.section >= 0 ? section_base + m.section + 1 : 0;
      const int64_t provision_id = m.provision >= 0 ? provision_base + m.provision + 1 : 0;
      if (m.kind == MarkKind::Keyword) {
        keyword.integer(edition_id).ref(section_id).ref(provision_id).text(m.target)
            .text(to_string(m.force)).text(m.as_written).run();
      } else {
        const auto it = definition_ids.find(m.target);
        mention.integer(edition_id).ref(section_id).ref(provision_id)
            .ref(it == definition_ids.end() ? 0 : it->second).text(m.as_written).run();
      }
    }
    section_base += static_cast<int64_t>(d.sections.size());
    provision_base += static_cast<int64_t>(d.provisions.size());
    definition_base += static_cast<int64_t>(doc.definitions.size());
    if (feed) feed->release(di);
  }
  for (Insert* i : {&document, &edition, &organization, &usage, &section, &provision, &definition,
                    &catalog, &reference, &keyword, &mention})
    if (!i->ok()) {
      failure = i->failure();
      return false;
    }
  const double rows_end = thread_cpu_seconds();
  if (!exec(db, kIndexSql, failure)) return false;
  const double indexes_end = thread_cpu_seconds();
  if (!exec(db, "INSERT INTO provisions_fts(provisions_fts) VALUES ('rebuild'); COMMIT;", failure))
    return false;
  times.rows_cpu = rows_end - cpu_start;
  times.indexes_cpu = indexes_end - rows_end;
  times.fts_cpu = thread_cpu_seconds() - indexes_end;
  return true;
}

}  // namespace

}  // namespace normkit::bundle
