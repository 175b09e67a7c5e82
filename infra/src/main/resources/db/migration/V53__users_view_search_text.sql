-- The users page's search (q) matched LOWER(username), LOWER(email) and LOWER(full_name) in every row: three
-- conversions and three LIKEs per row, a fifth of the other pages' throughput at 10,000 users. The projection now
-- keeps the three lower-cased in one column, and the search is one LIKE on it.
ALTER TABLE users_view ADD COLUMN search_text VARCHAR(500);
UPDATE users_view SET search_text = LOWER(CONCAT_WS(' ', username, email, full_name));
-- A search with few matches walks the page order to its end; with search_text in that index it reads only the
-- index (3.5 ms against 9 ms for 10,000 users on MariaDB, which otherwise looked up every row by its key).
CREATE INDEX ix_users_view_search ON users_view (created_at, user_id, search_text);
