package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What each database role can reach, read from PostgreSQL's catalogs after every migration, on a
 * database set up as the production stack sets up its own (the init script's roles, the migrations
 * run by the writer, not a superuser). Every privilege a role holds on a relation, function, schema
 * or the database, directly or through PUBLIC, is compared with the allow-list below: a grant
 * added to a migration fails this test until the list (and docs/security.md) says why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabasePrivilegesIT {
    private static final String DATABASE = "barometer";

    /** The published views: every cell resting on fewer than k people, contacts or taps withheld. */
    private static final Set<String> PUBLISHED = Set.of(
            "published_neighbourhood_hourly", "published_neighbourhood_daily", "published_neighbourhood_weekly",
            "published_group_attendance_daily", "published_mixing_daily", "published_cross_group_share_daily",
            "published_sentiment_daily", "published_sentiment_hourly", "published_diversity_daily",
            "published_city_segregation_daily", "published_open_data_daily", "published_open_data_weekly",
            "published_period_figures", "published_network_comparison");

    /** Everything each role may do, as relation:PRIVILEGE. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            DatabaseRoles.DASHBOARDS, union(select(PUBLISHED), select(Set.of(
                    // what the city registered (cities: which take part in the network comparison),
                    // the network's reference values, evaluate's results (computed from the published
                    // views), which windows are behind (no counts)
                    "cities", "neighbourhoods", "activities", "kiosks", "reference_values", "evaluation_results",
                    "pipeline_refused_updates"))),
            DatabaseRoles.OPERATIONS, select(Set.of(
                    "pipeline_arrivals_hourly", "pipeline_partly_counted_daily", "dead_letters_hourly", "consumer_lag",
                    "pipeline_refused_updates", "neighbourhoods", "activities", "kiosks")),
            DatabaseRoles.EVALUATOR, union(select(Set.of(
                    "published_neighbourhood_daily", "published_neighbourhood_weekly",
                    "published_open_data_daily", "published_open_data_weekly", "activities")),
                    Set.of("evaluation_results:INSERT")));

    /** The reading roles; the writer owns everything and is checked for not being more than that. */
    private static final List<String> READERS = List.of(DatabaseRoles.DASHBOARDS, DatabaseRoles.OPERATIONS, DatabaseRoles.EVALUATOR);

    private static final String OTHER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    private final InJvmPostgres postgres = InJvmPostgres.startTemporary();
    private final String barometer;

    DatabasePrivilegesIT() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        barometer = postgres.jdbcUrl().replaceAll("/postgres$", "/" + DATABASE);
        try (Connection c = DriverManager.getConnection(barometer, postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(DatabaseRoles.initSql(DATABASE, Map.of()));
        }
        Migrations.apply(barometer, DatabaseRoles.WRITER, DatabaseRoles.testPassword(DatabaseRoles.WRITER));
    }

    @Test
    void eachReadingRoleReachesExactlyTheRelationsOnItsAllowList() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            for (String role : READERS) {
                assertThat(relationPrivileges(writer, role)).as(role + "'s privileges on relations (directly or through PUBLIC)")
                        .containsExactlyInAnyOrderElementsOf(ALLOWED.get(role));
            }
        }
    }

    @Test
    void theDashboardRoleReadsOnlyRelationsThatWithholdCellsUnderK() throws SQLException {
        Set<String> readable = new TreeSet<>();
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            relationPrivileges(writer, DatabaseRoles.DASHBOARDS).forEach(p -> readable.add(p.substring(0, p.indexOf(':'))));
        }
        Set<String> counted = new TreeSet<>(readable);
        counted.removeAll(PUBLISHED);
        assertThat(counted).as("relations the dashboards read that are not published views: none carries a count of people")
                .containsExactlyInAnyOrder("cities", "neighbourhoods", "activities", "kiosks", "reference_values",
                        "evaluation_results", "pipeline_refused_updates");
        try (Connection dashboards = connectAs(DatabaseRoles.DASHBOARDS)) {
            assertThatThrownBy(() -> dashboards.createStatement().executeQuery("SELECT * FROM pipeline_arrivals_hourly"))
                    .as("per-activity and per-kiosk hourly arrivals, counts of 1 included").hasMessageContaining("permission denied");
        }
        try (Connection operations = connectAs(DatabaseRoles.OPERATIONS)) {
            operations.createStatement().executeQuery("SELECT * FROM pipeline_arrivals_hourly").close();
            assertThatThrownBy(() -> operations.createStatement().executeQuery("SELECT * FROM neighbourhood_hourly"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void noReadingRoleMayExecuteAFunctionOrCreateAnything() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            for (String role : READERS) {
                assertThat(strings(writer, """
                        SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE %s AND has_function_privilege(?, p.oid, 'EXECUTE')""".formatted(OTHER_SCHEMAS), role))
                        .as(role + " may execute").isEmpty();
                assertThat(strings(writer, """
                        SELECT n.nspname || ':' || priv FROM pg_namespace n, unnest(ARRAY['USAGE', 'CREATE']) AS priv
                         WHERE %s AND has_schema_privilege(?, n.oid, priv)""".formatted(OTHER_SCHEMAS), role))
                        .as(role + "'s privileges on schemas").containsExactly("public:USAGE");
                assertThat(strings(writer, """
                        SELECT priv FROM unnest(ARRAY['CONNECT', 'CREATE', 'TEMPORARY']) AS priv
                         WHERE has_database_privilege(?, current_database(), priv)""", role))
                        .as(role + "'s privileges on the database").containsExactly("CONNECT");
            }
        }
    }

    @Test
    void publicIsGrantedNothingOnTheSchemaTheDatabaseOrAnyRelationOrFunctionOfTheBarometer() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            assertThat(strings(writer, """
                    SELECT n.nspname || ':' || a.privilege_type
                      FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                     WHERE %s AND a.grantee = 0""".formatted(OTHER_SCHEMAS))).as("PUBLIC on schemas").isEmpty();
            assertThat(strings(writer, """
                    SELECT c.relname || ':' || a.privilege_type
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                           aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
                     WHERE %s AND a.grantee = 0""".formatted(OTHER_SCHEMAS))).as("PUBLIC on relations").isEmpty();
            assertThat(strings(writer, """
                    SELECT p.oid::regprocedure::text
                      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
                           aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                     WHERE %s AND a.grantee = 0""".formatted(OTHER_SCHEMAS))).as("functions PUBLIC may execute").isEmpty();
            assertThat(strings(writer, """
                    SELECT a.privilege_type FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                     WHERE d.datname = current_database() AND a.grantee = 0""")).as("PUBLIC on the database").isEmpty();
        }
    }

    @Test
    void whatTheWritersNextMigrationCreatesNoOtherRoleCanReachUntilItIsGranted() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            assertThat(strings(writer, """
                    SELECT d.defaclobjtype::text || ':' || a.privilege_type || ':' || coalesce(nullif(pg_get_userbyid(a.grantee), '-'), 'PUBLIC')
                      FROM pg_default_acl d, aclexplode(d.defaclacl) a
                     WHERE a.grantee <> d.defaclrole""")).as("default privileges given to others").isEmpty();
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE next_migration_table (n int)");
                s.execute("CREATE VIEW next_migration_view AS SELECT 1 AS n");
                s.execute("CREATE FUNCTION next_migration_function() RETURNS int LANGUAGE sql AS 'SELECT 1'");
                for (String role : READERS) {
                    assertThat(relationPrivileges(writer, role)).as(role).noneMatch(p -> p.startsWith("next_migration"));
                    assertThat(strings(writer, "SELECT 1 WHERE has_function_privilege(?, 'next_migration_function()', 'EXECUTE')", role))
                            .as(role + " executes a new function").isEmpty();
                }
            } finally {
                writer.rollback();
                writer.setAutoCommit(true);
            }
        }
    }

    /** The check itself: a grant a migration might add shows up in what the role reaches. */
    @Test
    void aGrantAddedToARoleShowsUpInWhatItReaches() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute("GRANT SELECT ON neighbourhood_hourly TO PUBLIC");
                s.execute("GRANT UPDATE (headcount) ON neighbourhood_hourly TO barometer_operations");
                assertThat(relationPrivileges(writer, DatabaseRoles.DASHBOARDS)).contains("neighbourhood_hourly:SELECT");
                assertThat(relationPrivileges(writer, DatabaseRoles.OPERATIONS)).contains("neighbourhood_hourly:UPDATE");
            } finally {
                writer.rollback();
                writer.setAutoCommit(true);
            }
        }
    }

    @Test
    void noRoleOfTheBarometerIsASuperuserOrMayCreateRolesDatabasesOrBypassRowSecurityOrHoldsAnother() throws SQLException {
        try (Connection writer = connectAs(DatabaseRoles.WRITER)) {
            assertThat(strings(writer, """
                    SELECT rolname FROM pg_roles
                     WHERE rolname LIKE 'barometer\\_%' AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication)"""))
                    .isEmpty();
            assertThat(strings(writer, """
                    SELECT pg_get_userbyid(m.member) || ' in ' || pg_get_userbyid(m.roleid) FROM pg_auth_members m
                     WHERE pg_get_userbyid(m.member) LIKE 'barometer\\_%'""")).as("role memberships").isEmpty();
            assertThat(strings(writer, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'barometer\\_%' AND rolcanlogin"))
                    .containsExactlyInAnyOrder(DatabaseRoles.WRITER, DatabaseRoles.DASHBOARDS, DatabaseRoles.OPERATIONS,
                            DatabaseRoles.EVALUATOR);
        }
    }

    /** Every privilege {@code role} holds on a relation outside PostgreSQL's own schemas, as relation:PRIVILEGE. */
    private static Set<String> relationPrivileges(Connection db, String role) throws SQLException {
        return new TreeSet<>(strings(db, """
                SELECT c.relname || ':' || priv
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS priv
                 WHERE %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                   AND (has_table_privilege(?, c.oid, priv)
                        OR (priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(?, c.oid, priv)))"""
                .formatted(OTHER_SCHEMAS), role, role));
    }

    private static List<String> strings(Connection db, String sql, String... parameters) throws SQLException {
        try (var statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<String> values = new java.util.ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }
    }

    private Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(barometer, role, DatabaseRoles.testPassword(role));
    }

    private static Set<String> select(Set<String> relations) {
        Set<String> privileges = new TreeSet<>();
        relations.forEach(r -> privileges.add(r + ":SELECT"));
        return privileges;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @AfterAll
    void stop() {
        postgres.close();
    }
}
