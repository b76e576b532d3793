// Dashboards and charts: children of a dashboard service that reference each other.
import { quoteName } from '../fqn';
import type { EntityStore } from '../entityStore';
import type { Json } from '../types';
import type { EntityBuilder } from './common';

function underService(store: EntityStore, request: Json, common: Json): Json {
  const svc = store.requireByFqn('dashboardService', request.service);
  return { ...common, fullyQualifiedName: `${svc.fullyQualifiedName}.${quoteName(request.name)}`, service: store.ref(svc), serviceType: svc.serviceType };
}

const refsByFqn = (store: EntityStore, type: string, fqns: string[] | undefined) => (fqns ?? []).map((fqn) => store.ref(store.requireByFqn(type, fqn)));

export const buildDashboard: EntityBuilder = (store, request, common) => {
  const entity = underService(store, request, common);
  entity.dashboardType = request.dashboardType ?? 'Dashboard';
  entity.charts = refsByFqn(store, 'chart', request.charts);
  entity.dataModels = [];
  return entity;
};

export const buildChart: EntityBuilder = (store, request, common) => {
  const entity = underService(store, request, common);
  entity.dashboards = refsByFqn(store, 'dashboard', request.dashboards);
  return entity;
};
