-- 0010 the household role's binding to the member's own household (docs/access.md): a user
-- with that role reads that household's record and nothing else of the registry.
ALTER TABLE user_roles ADD COLUMN household_id INTEGER REFERENCES households (id);
CREATE INDEX user_roles_household ON user_roles (household_id);
