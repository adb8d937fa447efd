// @kequn/plugin-channel-manager-task — the human channel (DOMAIN.md §7): a "phone" or "branch"
// message becomes a call or visit task on the customer's relationship manager's list, and what the
// manager records is the delivery result (a `task_outcome` inbound event the dispatcher records).
import {
  KequnError,
  definePlugin,
  emptyDisposable,
  toDisposable,
  type ChannelAdapter,
  type ChannelKind,
  type Disposable,
  type InboundEvent,
  type KequnPlugin,
  type KequnStore,
  type SendResult,
  type SqlStore,
} from '@kequn/core';
import { createMemoryTaskStore, createSqlTaskStore, migrateTaskStore, type ManagerTask, type ManagerTaskStore, type TaskOutcome } from './tasks.js';

export {
  createMemoryTaskStore,
  createSqlTaskStore,
  managerTaskSchema,
  migrateTaskStore,
  taskMigrations,
  taskOutcomeSchema,
  LATEST_TASK_SCHEMA_VERSION,
  type ManagerTask,
  type ManagerTaskStore,
  type TaskOutcome,
} from './tasks.js';

export const managerTaskChannelIds = { phone: 'manager-task.call', branch: 'manager-task.visit' } as const;

export interface ManagerTaskChannel {
  /** The adapters to register: calls (`phone`) and visits (`branch`). */
  readonly adapters: { readonly phone: ChannelAdapter; readonly branch: ChannelAdapter };
  /** A manager's open tasks, oldest first: their call and visit list. */
  listOpenTasks(managerId: string): Promise<ManagerTask[]>;
  getTask(taskId: string): Promise<ManagerTask | undefined>;
  /** The manager records what came of the call or visit; this is the message's delivery result. */
  recordOutcome(taskId: string, outcome: TaskOutcome, by: string, options?: { at?: string; note?: string }): Promise<ManagerTask>;
}

export interface ManagerTaskChannelOptions {
  /** A SQL store keeps tasks in its own `manager_tasks` table; any other store keeps them in memory. */
  store?: KequnStore | SqlStore;
  /** Or a task store of your own. */
  tasks?: ManagerTaskStore;
  clock?: () => number;
}

function taskError(code: string, message: string, taskId: string): KequnError {
  return new KequnError(code, message, { details: { taskId } });
}

function isSqlStore(store: KequnStore | SqlStore): store is SqlStore {
  return 'sql' in store && typeof store.sql === 'object';
}

/** Creates the channel; with a SQL store, migrates its table first. */
export async function createManagerTaskChannel(options: ManagerTaskChannelOptions = {}): Promise<ManagerTaskChannel> {
  const clock = options.clock ?? Date.now;
  let tasks = options.tasks;
  if (tasks === undefined && options.store !== undefined && isSqlStore(options.store)) {
    await migrateTaskStore(options.store.sql, new Date(clock()).toISOString());
    tasks = createSqlTaskStore(options.store.sql);
  }
  const taskStore = tasks ?? createMemoryTaskStore();
  const listeners = new Map<ChannelKind, Set<(event: InboundEvent) => void>>([
    ['phone', new Set()],
    ['branch', new Set()],
  ]);

  const adapterFor = (channel: 'phone' | 'branch'): ChannelAdapter => ({
    capabilities: { kinds: ['task'], deliveryReceipts: true, replies: false },
    async send(message, recipient, { idempotencyKey }): Promise<SendResult> {
      const managerId = recipient.managerId ?? recipient.address;
      if (message.kind !== 'task') return { status: 'rejected', reason: 'unsupported_kind' };
      const task = await taskStore.add({
        id: idempotencyKey,
        customerId: recipient.customerId,
        managerId,
        channel,
        kind: channel === 'phone' ? 'call' : 'visit',
        templateId: message.templateId,
        locale: message.locale,
        text: message.text,
        ...(message.subject === undefined ? {} : { subject: message.subject }),
        ...(message.data === undefined ? {} : { data: { ...message.data } }),
        status: 'open',
        createdAt: new Date(clock()).toISOString(),
      });
      return { status: 'accepted', providerMessageId: `task:${task.id}` };
    },
    health: () => ({ state: 'healthy', checkedAt: new Date(clock()).toISOString() }),
    onInbound(listener): Disposable {
      const own = listeners.get(channel);
      if (own === undefined) return emptyDisposable;
      own.add(listener);
      return toDisposable(() => {
        own.delete(listener);
      });
    },
  });

  return {
    adapters: { phone: adapterFor('phone'), branch: adapterFor('branch') },
    listOpenTasks: (managerId) => taskStore.listOpen(managerId),
    getTask: (taskId) => taskStore.get(taskId),
    async recordOutcome(taskId, outcome, by, recordOptions = {}) {
      const task = await taskStore.get(taskId);
      if (task === undefined) throw taskError('KQ_TASK_UNKNOWN', `There is no task "${taskId}". List the manager's open tasks to find its id.`, taskId);
      if (task.managerId !== by) {
        throw taskError('KQ_TASK_NOT_ASSIGNED', `Task "${taskId}" is on the list of manager ${task.managerId}, not ${by}; only that manager records its outcome.`, taskId);
      }
      if (task.status === 'done') throw taskError('KQ_TASK_CLOSED', `Task "${taskId}" already has an outcome (${task.outcome?.outcome ?? 'unknown'}).`, taskId);
      const at = recordOptions.at ?? new Date(clock()).toISOString();
      const note = recordOptions.note?.slice(0, 2_000);
      const done: ManagerTask = { ...task, status: 'done', outcome: { outcome, by, at, ...(note === undefined ? {} : { note }) } };
      await taskStore.update(done);
      const event: InboundEvent = {
        type: 'task_outcome',
        channel: task.channel,
        idempotencyKey: task.id,
        customerId: task.customerId,
        managerId: task.managerId,
        outcome,
        at,
        ...(note === undefined ? {} : { note }),
      };
      for (const listener of listeners.get(task.channel) ?? []) listener(event);
      return done;
    },
  };
}

/** What `kernel.exportsOf('channel-manager-task')` returns. */
export interface ManagerTaskExports {
  tasks: ManagerTaskChannel;
}

/** The plugin, bound to the store (or task store) the tasks live in. */
export function createManagerTaskPlugin(options: ManagerTaskChannelOptions = {}): KequnPlugin<Record<string, never>, ManagerTaskExports> {
  return definePlugin<Record<string, never>, ManagerTaskExports>({
    id: 'channel-manager-task',
    version: '0.1.0',
    displayName: { 'zh-CN': '客户经理任务渠道', en: 'Manager task channel' },
    description: {
      'zh-CN': '把电话、到店类触达变成客户经理的外呼/面访任务，经理登记的结果即送达结果。',
      en: 'Turns phone and branch contacts into call and visit tasks for the relationship manager; the recorded outcome is the delivery result.',
    },
    engines: { kequn: '^1' },
    contributes: {
      channels: [
        { id: managerTaskChannelIds.phone, kind: 'phone', label: { 'zh-CN': '客户经理外呼任务', en: 'Manager call task' }, secure: true },
        { id: managerTaskChannelIds.branch, kind: 'branch', label: { 'zh-CN': '客户经理面访任务', en: 'Manager visit task' }, secure: true },
      ],
    },
    async activate(context) {
      const tasks = await createManagerTaskChannel(options);
      context.channels.register(managerTaskChannelIds.phone, tasks.adapters.phone);
      context.channels.register(managerTaskChannelIds.branch, tasks.adapters.branch);
      return { tasks };
    },
  });
}
