// The default CV rules SQL can express, evaluated by DuckDB as one
// aggregate query over the CVs (bench/duckdb_cv_rules.sh runs it; prints
// figures, asserts nothing; never run by the tests).
//
//   node duckdb_cv_rules.mjs CV_CSV AS_OF_DATE
//
// CV_CSV: the cv table exported by sqlite3 (header row); AS_OF_DATE:
// YYYY-MM-DD, the scan's as-of day (cv.freshness counts from it).
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, asOf] = process.argv.slice(2);
if (!csv || !/^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '')) {
  console.error('usage: node duckdb_cv_rules.mjs CV_CSV AS_OF_DATE');
  process.exit(2);
}

// Rule id -> SQL condition that is true when the CV fails the rule
// (the same approximations as bench_scan's one-query-per-rule figures).
const rules = {
  'cv.contact.reachable': "coalesce(email, '') = '' AND coalesce(phone, '') = ''",
  'cv.email.valid': "coalesce(email, '') <> '' AND NOT regexp_matches(email, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')",
  'cv.postcode.valid': "postcode IS NULL OR NOT regexp_matches(trim(postcode), " +
    "'^[1-9][0-9]{3} ?(?:[A-RT-Za-rt-z][A-Za-z]|[Ss][BCE-RT-Zbce-rt-z])$')",
  'cv.region.known': "region IS NULL OR NOT regexp_matches(region, '^AM[0-3][0-9]$')",
  'cv.birth_year.plausible': 'birth_year IS NULL OR birth_year < 1940 OR birth_year > 2011',
  'cv.occupation.present': 'coalesce(json_array_length(desired_occupations), 0) = 0',
  'cv.occupation.known': "len(list_filter(json_extract_string(desired_occupations, '$[*].code'), " +
    "c -> NOT regexp_matches(coalesce(c, ''), '^[0-9]{4}$'))) > 0",
  'cv.education.present': 'coalesce(json_array_length(education), 0) = 0',
  'cv.experience.present': 'coalesce(json_array_length(experience), 0) = 0',
  'cv.skills.min': "coalesce(len(list_filter(json_extract_string(skills, '$[*]'), s -> trim(s) <> '')), 0) < 3",
  'cv.availability.present': 'hours_per_week IS NULL OR hours_per_week NOT BETWEEN 1 AND 60',
  'cv.travel.present': 'max_travel_minutes IS NULL AND max_travel_km IS NULL',
  'cv.freshness': `updated_at IS NULL OR CAST(updated_at AS TIMESTAMP) < DATE '${asOf}' - INTERVAL 180 DAY`,
};

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();

let start = process.hrtime.bigint();
await conn.run(`CREATE TABLE cv AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true,
  types = {'birth_year': 'BIGINT', 'hours_per_week': 'BIGINT', 'max_travel_minutes': 'BIGINT',
           'max_travel_km': 'BIGINT'})`);
const load = seconds(start);

const columns = Object.entries(rules)
  .map(([id, failing]) => `count(*) FILTER (WHERE ${failing}) AS "${id}"`)
  .join(',\n  ');
const sql = `SELECT count(*) AS records,\n  ${columns}\nFROM cv`;
let best = Infinity;
let row = null;
for (let i = 0; i < 3; ++i) {
  start = process.hrtime.bigint();
  const reader = await conn.runAndReadAll(sql);
  best = Math.min(best, seconds(start));
  row = reader.getRowObjects()[0];
}
console.log(`duckdb: load ${load.toFixed(3)} s (CSV into a table, not counted below)`);
for (const id of Object.keys(rules)) {
  console.log(`  ${id.padEnd(26)} ${String(row[id]).padStart(8)} failing`);
}
console.log(`duckdb: ${Object.keys(rules).length} of 20 CV rules over ${row.records} CVs as one query: ` +
  `${best.toFixed(3)} s (best of 3, 2 threads)`);
