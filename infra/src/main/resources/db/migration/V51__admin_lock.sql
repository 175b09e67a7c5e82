-- One row that a command removing an ACTIVE admin locks before it counts the admins (UserAccounts.activeAdmins):
-- two such commands then count one after the other, and the second sees the first one's change.
CREATE TABLE admin_lock (
    id INT NOT NULL,
    PRIMARY KEY (id)
)${table_options};

INSERT INTO admin_lock (id) VALUES (1);
