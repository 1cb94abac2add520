PRAGMA user_version = 1;
CREATE INDEX definitions_edition ON definitions(edition_id);
CREATE INDEX definitions_id ON definitions(id);
CREATE INDEX editions_work ON editions(work);
CREATE INDEX keywords_force ON keywords(force);
CREATE INDEX keywords_provision ON keywords(provision_id);
CREATE INDEX provisions_edition ON provisions(edition_id);
CREATE INDEX provisions_id ON provisions(id);
CREATE INDEX provisions_kind_class ON provisions(kind, class);
CREATE INDEX provisions_parent ON provisions(parent_provision_id);
CREATE INDEX provisions_section ON provisions(section_id);
CREATE INDEX sections_edition ON sections(edition_id);
CREATE INDEX sections_id ON sections(id);
CREATE INDEX sections_parent ON sections(parent_section_id);
CREATE INDEX term_mentions_definition ON term_mentions(definition_id);
CREATE INDEX term_mentions_provision ON term_mentions(provision_id);
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
CREATE TABLE keywords (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  section_id INTEGER REFERENCES sections(section_id),
  provision_id INTEGER REFERENCES provisions(provision_id),
  word TEXT NOT NULL,
  force TEXT NOT NULL,
  as_written TEXT NOT NULL
) STRICT;
CREATE TABLE organizations (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  abbrev TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (edition_id, seq)
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
CREATE VIRTUAL TABLE provisions_fts USING fts5(
  label, title, text, content='provisions', content_rowid='provision_id',
  tokenize='unicode61 remove_diacritics 2');
CREATE TABLE 'provisions_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'provisions_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'provisions_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'provisions_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE refs (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  href TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (edition_id, seq)
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
CREATE TABLE term_mentions (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  section_id INTEGER REFERENCES sections(section_id),
  provision_id INTEGER REFERENCES provisions(provision_id),
  definition_id INTEGER REFERENCES definitions(definition_id),
  as_written TEXT NOT NULL
) STRICT;
CREATE TABLE word_usage (
  edition_id INTEGER NOT NULL REFERENCES editions(edition_id),
  word TEXT NOT NULL,
  force TEXT NOT NULL,
  from_document INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (edition_id, word)
) STRICT;
CREATE VIEW class_i_recommendations AS
  SELECT * FROM provision_details WHERE kind = 'recommendation' AND class = 'I';
CREATE VIEW mandatory_provisions AS
  SELECT DISTINCT d.* FROM provision_details d
  JOIN keywords k ON k.provision_id = d.provision_id
  WHERE k.force IN ('mandatory', 'prohibited');
CREATE VIEW provision_details AS
  SELECT p.provision_id, e.work, e.edition, p.id, p.position_id, p.label, p.kind, p.number,
         p.class, p.level, p.title, p.text, s.id AS section, s.title AS section_title
  FROM provisions p JOIN editions e USING (edition_id)
  LEFT JOIN sections s ON s.section_id = p.section_id;
CREATE VIEW term_usage AS
  SELECT e.work, e.edition, df.id AS definition, df.term, t.as_written,
         p.id AS provision, p.label AS provision_label, s.id AS section
  FROM term_mentions t JOIN editions e USING (edition_id)
  JOIN definitions df ON df.definition_id = t.definition_id
  LEFT JOIN provisions p ON p.provision_id = t.provision_id
  LEFT JOIN sections s ON s.section_id = t.section_id;
