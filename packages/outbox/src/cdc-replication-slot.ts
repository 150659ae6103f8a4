import type postgres from "postgres";

/** The Postgres objects one service's CDC relay reads the outbox through. */
export interface CdcReplicationNames {
  /** `CREATE PUBLICATION … FOR TABLE outbox_messages WITH (publish = 'insert')`; per database. */
  publication: string;
  /** The logical replication slot (pgoutput); cluster-wide, so it carries the service name. */
  slot: string;
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The publication and slot names of a service in a database: `order-service` in `orders` →
 * publication `order_service_outbox`, slot `orders_outbox_relay`. The slot is named for the
 * database because slots are cluster-wide and database names are already unique there (two
 * stacks of the same service on one server, e.g. the devstack's name prefix, never collide).
 */
export function cdcReplicationNames(service: string, database: string): CdcReplicationNames {
  const clean = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const slotBase = clean(database)
    .replace(/^([^a-z_])/, "_$1")
    .slice(0, 50);
  return checkedNames({
    publication: `${clean(service).slice(0, 55)}_outbox`,
    slot: `${slotBase}_outbox_relay`,
  });
}

/** The state of a replication slot, as `pg_replication_slots` shows it. */
export interface ReplicationSlotState {
  slot: string;
  active: boolean;
  /** Backend pid of the relay streaming from it, when active. */
  activePid: number | null;
  /** Everything before this LSN is acknowledged (published); a restart resumes here. */
  confirmedFlushLsn: string | null;
  /** WAL the server keeps for this slot (bytes behind the current WAL position). */
  retainedWalBytes: number | null;
}

/**
 * Makes sure logical decoding of the outbox can start: checks `wal_level`, then creates the
 * publication (inserts into `outbox_messages` only) and then the pgoutput slot, each only when
 * missing — every replica may call it at every start. The publication must exist before the
 * slot: pgoutput looks it up as of each decoded change, so changes older than it cannot be read.
 * Returns whether the slot was created now (rows committed before that need a catch-up sweep).
 */
export async function ensureCdcReplication(
  sql: postgres.Sql,
  names: CdcReplicationNames,
): Promise<{ slotCreated: boolean }> {
  const { publication, slot } = checkedNames(names);
  await assertLogicalWalLevel(sql);
  await ignoringDuplicate(async () => {
    const existing = await sql`select 1 from pg_publication where pubname = ${publication}`;
    if (existing.length === 0) {
      await sql.unsafe(
        `create publication "${publication}" for table outbox_messages with (publish = 'insert')`,
      );
    }
  });
  const [existing] = await sql<{ plugin: string | null; database: string | null; here: string }[]>`
    select plugin, database, current_database() as here
    from pg_replication_slots where slot_name = ${slot}`;
  if (existing) {
    const { plugin, database, here } = existing;
    if (database !== here) {
      throw new Error(
        `replication slot ${slot} belongs to database ${database ?? "(none)"}, not ${here}; slot names are cluster-wide: give this relay another slot name`,
      );
    }
    if (plugin !== "pgoutput") {
      throw new Error(
        `replication slot ${slot} exists but uses ${plugin ?? "no"} output plugin, not pgoutput; drop it (select pg_drop_replication_slot('${slot}')) and restart the relay`,
      );
    }
    return { slotCreated: false };
  }
  try {
    await sql`select pg_create_logical_replication_slot(${slot}, 'pgoutput')`;
    return { slotCreated: true };
  } catch (error) {
    if (errorCode(error) === duplicateObject) return { slotCreated: false };
    if (errorCode(error) === insufficientPrivilege) {
      throw new Error(
        `OUTBOX_RELAY_MODE=cdc: the database role cannot create replication slot ${slot} (${(error as Error).message}); give it the REPLICATION attribute: ALTER ROLE <service role> WITH REPLICATION`,
        { cause: error },
      );
    }
    throw new Error(`cannot create replication slot ${slot}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Throws the start-up error an operator can act on when the server cannot decode WAL. */
export async function assertLogicalWalLevel(sql: postgres.Sql): Promise<void> {
  const [row] = await sql<{ wal_level: string }[]>`show wal_level`;
  const level = row?.wal_level ?? "unknown";
  if (level !== "logical") {
    throw new Error(
      `OUTBOX_RELAY_MODE=cdc needs wal_level=logical, but this Postgres has wal_level=${level}. ` +
        "Set it and restart Postgres: ALTER SYSTEM SET wal_level = logical; (then e.g. " +
        "`systemctl restart postgresql`, or start the server with `-c wal_level=logical`). " +
        "The devstack's embedded Postgres already runs with it. Or use OUTBOX_RELAY_MODE=poll.",
    );
  }
}

/** The slot's state, or undefined when it does not exist. */
export async function replicationSlotState(
  sql: postgres.Sql,
  slot: string,
): Promise<ReplicationSlotState | undefined> {
  const [row] = await sql<ReplicationSlotState[]>`
    select slot_name as slot, active, active_pid as "activePid",
           confirmed_flush_lsn::text as "confirmedFlushLsn",
           (pg_current_wal_lsn() - restart_lsn)::float8 as "retainedWalBytes"
    from pg_replication_slots where slot_name = ${slot}`;
  return row;
}

/**
 * Removes the slot and the publication, for decommissioning CDC (e.g. switching a service back
 * to OUTBOX_RELAY_MODE=poll). Required then: an abandoned slot makes Postgres keep WAL forever.
 * Fails while a relay is streaming from the slot. Missing objects are fine.
 */
export async function dropCdcReplication(
  sql: postgres.Sql,
  names: CdcReplicationNames,
): Promise<void> {
  const { publication, slot } = checkedNames(names);
  const state = await replicationSlotState(sql, slot);
  if (state?.active) {
    throw new Error(
      `replication slot ${slot} is in use by a running relay (backend pid ${state.activePid}); stop it first`,
    );
  }
  if (state) {
    try {
      await sql`select pg_drop_replication_slot(${slot})`;
    } catch (error) {
      if (errorCode(error) !== undefinedObject) throw error;
    }
  }
  await sql.unsafe(`drop publication if exists "${publication}"`);
}

// DDL cannot take bind parameters: names are checked, then quoted.
function checkedNames(names: CdcReplicationNames): CdcReplicationNames {
  for (const name of [names.publication, names.slot]) {
    if (!identifierPattern.test(name)) {
      throw new Error(
        `CDC publication/slot name ${JSON.stringify(name)} must match ${identifierPattern}`,
      );
    }
  }
  return names;
}

const duplicateObject = "42710";
const undefinedObject = "42704";
const insufficientPrivilege = "42501";

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

// Two replicas starting together: the loser's CREATE fails because the object now exists.
async function ignoringDuplicate(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (errorCode(error) !== duplicateObject) throw error;
  }
}
