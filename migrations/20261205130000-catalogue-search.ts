import type { QueryInterface } from 'sequelize';

/**
 * Search, facets and caching for the car catalogue (docs/catalogue.md):
 *
 * - `catalogue_fold(text)`: lower case, accents removed (unaccent), every run of
 *   punctuation a single space: `Mercedes-Benz` → `mercedes benz`. IMMUTABLE (unaccent is
 *   called with an explicit dictionary), so generated columns and indexes can use it.
 * - `Cars."modelKey"`: `lower(make) | lower(model)`, the car's make and model as one key,
 *   indexed with the year and id so a search reads only the index.
 * - `CarModels`: one row per distinct make and model, with its folded search text and
 *   words. Searches match words here (a few thousand rows, not a million) and then read
 *   the cars of the matching models.
 * - `CatalogueVersion`: one counter, bumped in the transaction of every statement that
 *   changes cars; the API's ETags and cached totals and facets are keyed by it.
 *
 * Statement-level triggers keep `CarModels` and the version up to date for any writer
 * (the importer, a test factory, psql), on every instance at once.
 */
export async function up(queryInterface: QueryInterface): Promise<void> {
  const q = (sql: string) => queryInterface.sequelize.query(sql);
  await q('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await q('CREATE EXTENSION IF NOT EXISTS unaccent');
  const [[found]] = (await q(`SELECT extnamespace::regnamespace::text AS "schema" FROM pg_extension WHERE extname = 'unaccent'`)) as [
    { schema: string }[],
    unknown,
  ];
  const unaccent = found?.schema ?? 'public';
  await q(`CREATE FUNCTION catalogue_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN btrim(regexp_replace(lower(${unaccent}.unaccent('${unaccent}.unaccent'::regdictionary, value)), '[^[:alnum:]]+', ' ', 'g'))`);
  // Words first, then each field written without its spaces when it has several words
  // (`mercedesbenz`, `f150`), so `f150` finds `F-150` and `landrover` finds `Land Rover`.
  await q(`CREATE FUNCTION catalogue_search_text(make text, model text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN btrim(concat_ws(' ', catalogue_fold(make), catalogue_fold(model),
      CASE WHEN catalogue_fold(make) LIKE '% %' THEN replace(catalogue_fold(make), ' ', '') END,
      CASE WHEN catalogue_fold(model) LIKE '% %' THEN replace(catalogue_fold(model), ' ', '') END))`);
  await q(`CREATE FUNCTION catalogue_words(make text, model text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_remove(string_to_array(concat_ws(' ', catalogue_fold(make), catalogue_fold(model)), ' '), '')`);

  // The categories as the filter compares them, stored so that the search index can carry them.
  await q(`ALTER TABLE "Cars"
    ADD COLUMN "modelKey" text GENERATED ALWAYS AS (lower("make") || '|' || lower("model")) STORED,
    ADD COLUMN "categories" text[] GENERATED ALWAYS AS (regexp_split_to_array(lower("category"), '\\s*,\\s*')) STORED`);
  await q('DROP INDEX "cars_categories"');
  await q('CREATE INDEX "cars_categories" ON "Cars" USING GIN ("categories")');
  // A search reads the cars of its models from this index alone, category filter included.
  await q('CREATE INDEX "cars_model_key" ON "Cars" ("modelKey", "year", "id") INCLUDE ("categories")');
  // Sorting by year (ties by id) walks an index and stops after the page; the make rides
  // along so that a make filter is checked in the index, not by fetching every row passed.
  await q('DROP INDEX "cars_year"');
  await q('CREATE INDEX "cars_year" ON "Cars" ("year", "id") INCLUDE ("make")');
  await q('CREATE INDEX "cars_year_desc" ON "Cars" ("year" DESC, "id") INCLUDE ("make")');
  // The model filter pages in id order, like the make filter's index.
  await q('DROP INDEX "cars_model_lower"');
  await q('CREATE INDEX "cars_model_lower" ON "Cars" (lower("model"), "id")');

  await q(`CREATE TABLE "CarModels" (
    "key" text PRIMARY KEY,
    "make" text NOT NULL,
    "model" text NOT NULL,
    "searchText" text NOT NULL GENERATED ALWAYS AS (catalogue_search_text("make", "model")) STORED,
    "words" text[] NOT NULL GENERATED ALWAYS AS (catalogue_words("make", "model")) STORED)`);
  await q('CREATE INDEX "car_models_search" ON "CarModels" USING GIN ("searchText" gin_trgm_ops)');
  await q(`INSERT INTO "CarModels" ("key", "make", "model")
    SELECT DISTINCT ON ("modelKey") "modelKey", "make", "model" FROM "Cars" ORDER BY "modelKey", "id"`);

  await q(`CREATE TABLE "CatalogueVersion" (
    "id" integer PRIMARY KEY CHECK ("id" = 1),
    "version" bigint NOT NULL,
    "changedAt" timestamptz NOT NULL)`);
  await q(`INSERT INTO "CatalogueVersion" VALUES (1, 1, now())`);

  // One function for the four triggers; `changed` is each trigger's transition table.
  // Models are added in key order so that concurrent writers lock them in the same order.
  await q(`CREATE FUNCTION catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'TRUNCATE' THEN
        IF NOT EXISTS (SELECT 1 FROM changed) THEN
          RETURN NULL;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO "CarModels" ("key", "make", "model")
            SELECT DISTINCT ON ("modelKey") "modelKey", "make", "model" FROM changed ORDER BY "modelKey"
            ON CONFLICT ("key") DO NOTHING;
        END IF;
      END IF;
      UPDATE "CatalogueVersion" SET "version" = "version" + 1, "changedAt" = now() WHERE "id" = 1;
      RETURN NULL;
    END $$`);
  await q(`CREATE TRIGGER "cars_inserted" AFTER INSERT ON "Cars" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed()`);
  await q(`CREATE TRIGGER "cars_updated" AFTER UPDATE ON "Cars" REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed()`);
  await q(`CREATE TRIGGER "cars_deleted" AFTER DELETE ON "Cars" REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed()`);
  await q(`CREATE TRIGGER "cars_truncated" AFTER TRUNCATE ON "Cars" FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed()`);
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  const q = (sql: string) => queryInterface.sequelize.query(sql);
  for (const trigger of ['cars_truncated', 'cars_deleted', 'cars_updated', 'cars_inserted']) await q(`DROP TRIGGER "${trigger}" ON "Cars"`);
  await q('DROP FUNCTION catalogue_changed()');
  await q('DROP TABLE "CatalogueVersion"');
  await q('DROP TABLE "CarModels"');
  await q('DROP INDEX "cars_model_lower"');
  await q('CREATE INDEX "cars_model_lower" ON "Cars" (lower("model"))');
  await q('DROP INDEX "cars_year_desc"');
  await q('DROP INDEX "cars_year"');
  await q('CREATE INDEX "cars_year" ON "Cars" ("year")');
  await q('DROP INDEX "cars_model_key"');
  await q('DROP INDEX "cars_categories"');
  await q('ALTER TABLE "Cars" DROP COLUMN "modelKey", DROP COLUMN "categories"');
  await q(`CREATE INDEX "cars_categories" ON "Cars" USING GIN (regexp_split_to_array(lower("category"), '\\s*,\\s*'))`);
  await q('DROP FUNCTION catalogue_words(text, text)');
  await q('DROP FUNCTION catalogue_search_text(text, text)');
  await q('DROP FUNCTION catalogue_fold(text)');
  // The extensions stay: other objects may use them, and keeping them is harmless.
}
