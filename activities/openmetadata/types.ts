/** OpenMetadata objects hexmeta sends or reads (request bodies follow spec/api/...). */
export interface EntityReference {
  id: string;
  type: string;
  name?: string;
  fullyQualifiedName?: string;
  displayName?: string;
}

export interface TagLabel {
  tagFQN: string;
  source: 'Classification';
  labelType: 'Automated';
  state: 'Suggested';
}

export interface CreateDashboard {
  name: string;
  service: string;
  displayName?: string;
  description?: string;
  sourceUrl?: string;
  dashboardType?: 'Dashboard' | 'Report';
  tags?: TagLabel[];
  owners?: EntityReference[];
  sourceHash?: string;
}

export interface DashboardEntity extends EntityReference {
  fullyQualifiedName: string;
  deleted?: boolean;
  sourceHash?: string;
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged';
