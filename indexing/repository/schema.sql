-- The shared learning repository (PostgreSQL 16 with pgvector). Only published and public learning:
-- documents marked public (partners-level where the partnership chooses), their passages, vectors and
-- themes, case facts and recommendations read from reports, and published reviews' recommendations with
-- their actions' status. Never a confidential document, a register, a draft, a person's name or an account.
-- Every row carries its partnership (csp); a partnership's role writes only its own rows (row-level security).
-- Idempotent: `python -m indexing repository init` runs it again safely.

CREATE EXTENSION IF NOT EXISTS vector;

DO $$ BEGIN
    CREATE ROLE dhr_partnership NOLOGIN;  -- every partnership's login role is a member
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

CREATE TABLE IF NOT EXISTS partnerships (
    csp text PRIMARY KEY,
    role_name text UNIQUE,  -- the PostgreSQL role that publishes for it (NULL: the host publishes)
    published_at timestamptz
);
-- the low-information rule (indexing.chunking.LOW_INFORMATION_RULE) that marked the partnership's passages:
-- a publish by a release with another rule marks them again, and no other publish reads them
ALTER TABLE partnerships ADD COLUMN IF NOT EXISTS low_information_rule text;

-- the partnership the connected role publishes for (NULL for the host's own role)
CREATE OR REPLACE FUNCTION own_csp() RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT csp FROM partnerships WHERE role_name = current_user $$;

CREATE TABLE IF NOT EXISTS documents (
    csp text NOT NULL REFERENCES partnerships (csp),
    document_id bigint NOT NULL,  -- the workspace's own id
    title text NOT NULL,
    kind text NOT NULL,
    year integer,
    access text NOT NULL CHECK (access IN ('public', 'partners')),
    review text,  -- the review's reference, never its register
    source_name text NOT NULL,
    fingerprint text NOT NULL,  -- what was published: a changed one is replaced
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (csp, document_id)
);

CREATE TABLE IF NOT EXISTS passages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    csp text NOT NULL,
    document_id bigint NOT NULL,
    chunk_id bigint NOT NULL,
    ordinal integer NOT NULL,
    access text NOT NULL,  -- the document's, here so that search filters without a join
    kind text NOT NULL,
    year integer,
    text text NOT NULL,
    page integer,
    heading text NOT NULL DEFAULT '',
    char_start integer NOT NULL,
    char_end integer NOT NULL,
    embedding vector(384) NOT NULL,  -- the passage in its document's title and heading, unit length
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', heading), 'B') || to_tsvector('english', text)
    ) STORED,
    UNIQUE (csp, chunk_id),
    FOREIGN KEY (csp, document_id) REFERENCES documents (csp, document_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS passages_document ON passages (csp, document_id);
-- each row keeps its tsvector (compressed) rather than in the TOAST table: full-text search reads it for
-- every passage it ranks, the text only for the hits it shows (applies to rows written from now on)
ALTER TABLE passages ALTER COLUMN tsv SET STORAGE MAIN;
-- table debris or a contents line (indexing.chunking.low_information, set at publish): search ranks it after
-- prose. NULL for a passage a repository of an earlier release holds, until `init` reads it.
ALTER TABLE passages ADD COLUMN IF NOT EXISTS low_information boolean;

CREATE TABLE IF NOT EXISTS passage_themes (
    csp text NOT NULL,
    chunk_id bigint NOT NULL,
    theme_key text NOT NULL,
    label text NOT NULL,
    score real NOT NULL,
    PRIMARY KEY (csp, chunk_id, theme_key),
    FOREIGN KEY (csp, chunk_id) REFERENCES passages (csp, chunk_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS passage_themes_theme ON passage_themes (theme_key);

CREATE TABLE IF NOT EXISTS document_themes (
    csp text NOT NULL,
    document_id bigint NOT NULL,
    theme_key text NOT NULL,
    label text NOT NULL,
    passages integer NOT NULL,
    score real NOT NULL,
    PRIMARY KEY (csp, document_id, theme_key),
    FOREIGN KEY (csp, document_id) REFERENCES documents (csp, document_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS recommendations (
    csp text NOT NULL REFERENCES partnerships (csp),
    recommendation_id bigint NOT NULL,
    review text NOT NULL,
    number text NOT NULL,
    text text NOT NULL,
    scope text NOT NULL,
    target_agencies jsonb NOT NULL DEFAULT '[]',
    themes jsonb NOT NULL DEFAULT '[]',
    fingerprint text NOT NULL,
    PRIMARY KEY (csp, recommendation_id)
);

CREATE TABLE IF NOT EXISTS actions (
    csp text NOT NULL,
    action_id bigint NOT NULL,
    recommendation_id bigint NOT NULL,
    description text NOT NULL,
    owner_agency text NOT NULL,
    target_date date,
    status text NOT NULL,
    completed_on date,
    fingerprint text NOT NULL,
    PRIMARY KEY (csp, action_id),
    FOREIGN KEY (csp, recommendation_id) REFERENCES recommendations (csp, recommendation_id) ON DELETE CASCADE
);

-- read from published reports by the workspace (case facts, recommendations with their addressees)
CREATE TABLE IF NOT EXISTS case_facts (
    csp text NOT NULL,
    document_id bigint NOT NULL,
    facts jsonb NOT NULL,  -- victim's age and sex, relationship, homicide or suicide, children, ...
    fingerprint text NOT NULL,
    PRIMARY KEY (csp, document_id),
    FOREIGN KEY (csp, document_id) REFERENCES documents (csp, document_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS extracted_recommendations (
    csp text NOT NULL,
    document_id bigint NOT NULL,
    number text NOT NULL,
    text text NOT NULL,
    addressee text NOT NULL DEFAULT '',
    fingerprint text NOT NULL,
    PRIMARY KEY (csp, document_id, number),
    FOREIGN KEY (csp, document_id) REFERENCES documents (csp, document_id) ON DELETE CASCADE
);

GRANT USAGE ON SCHEMA public TO dhr_partnership;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dhr_partnership;
GRANT INSERT, UPDATE, DELETE ON documents, passages, passage_themes, document_themes, recommendations, actions,
    case_facts, extracted_recommendations TO dhr_partnership;
GRANT UPDATE (published_at, low_information_rule) ON partnerships TO dhr_partnership;

-- Row-level security: everyone reads every row (search filters by access level in the query); a
-- partnership's role inserts, changes and deletes only rows that carry its own partnership. The
-- host's role owns the tables and is not bound by these policies.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['documents', 'passages', 'passage_themes', 'document_themes', 'recommendations', 'actions',
                                'case_facts', 'extracted_recommendations', 'partnerships'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('DROP POLICY IF EXISTS read_all ON %I', name);
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT USING (true)', name);
        EXECUTE format('DROP POLICY IF EXISTS insert_own ON %I', name);
        EXECUTE format('DROP POLICY IF EXISTS update_own ON %I', name);
        EXECUTE format('DROP POLICY IF EXISTS delete_own ON %I', name);
        EXECUTE format('CREATE POLICY update_own ON %I FOR UPDATE USING (csp = own_csp()) '
                       'WITH CHECK (csp = own_csp())', name);
        IF name <> 'partnerships' THEN
            EXECUTE format('CREATE POLICY insert_own ON %I FOR INSERT WITH CHECK (csp = own_csp())', name);
            EXECUTE format('CREATE POLICY delete_own ON %I FOR DELETE USING (csp = own_csp())', name);
        END IF;
    END LOOP;
END $$;
