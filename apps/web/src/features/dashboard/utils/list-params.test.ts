import { describe, expect, it } from 'vitest';
import { applyListView, parseListView, toExportQuery, toListQuery } from './list-params.ts';

describe('parseListView', () => {
  it('When the URL holds a view, then filters, sort, page and page size are read from it', () => {
    // Arrange
    const params = new URLSearchParams('name=prod&status=overdue&team=payments&engine=mysql&sort=nextRotationDate&order=desc&page=4&pageSize=100');

    // Act
    const view = parseListView(params);

    // Assert
    expect(view).toEqual({
      name: 'prod',
      status: 'overdue',
      team: 'payments',
      engine: 'mysql',
      sort: 'nextRotationDate',
      order: 'desc',
      page: 4,
      pageSize: 100,
    });
    expect(toListQuery(view)).toEqual({
      offset: 300,
      limit: 100,
      sort: 'nextRotationDate',
      order: 'desc',
      name: 'prod',
      status: 'overdue',
      team: 'payments',
      engine: 'mysql',
    });
  });

  it('When the URL holds unknown or out-of-range values, then the defaults are used', () => {
    // Arrange / Act
    const view = parseListView(new URLSearchParams('status=weird&sort=password&order=up&page=-2&pageSize=10000&name=%20%20'));

    // Assert
    expect(view).toEqual({ name: undefined, status: undefined, team: undefined, engine: undefined, sort: 'name', order: 'asc', page: 1, pageSize: 25 });
  });
});

describe('parseListView: account and region', () => {
  it('When the URL names an account and a region, then they are read and sent; a malformed one is left out', () => {
    // Arrange / Act
    const view = parseListView(new URLSearchParams('account=111111111111&region=eu-west-1'));
    const malformed = parseListView(new URLSearchParams('account=payments-prod&region=Europe'));

    // Assert
    expect(toListQuery(view)).toEqual({ offset: 0, limit: 25, sort: 'name', order: 'asc', account: '111111111111', region: 'eu-west-1' });
    expect(toExportQuery(view)).toMatchObject({ account: '111111111111', region: 'eu-west-1' });
    expect(malformed.account).toBeUndefined();
    expect(malformed.region).toBeUndefined();
  });
});

describe('applyListView', () => {
  it('When a value goes back to its default, then it leaves the URL, and other parameters stay', () => {
    // Arrange
    const previous = new URLSearchParams('team=payments&sort=team&page=3&other=kept');

    // Act
    const next = applyListView(previous, { sort: 'name', page: 1, engine: ' mysql ' });

    // Assert
    expect(next.toString()).toBe('team=payments&other=kept&engine=mysql');
  });
});

describe('toExportQuery', () => {
  it('When the view is exported, then the filters and the sort go with it but no paging', () => {
    // Arrange / Act
    const query = toExportQuery(parseListView(new URLSearchParams('team=payments&page=3&sort=status')));

    // Assert
    expect(query).toEqual({ name: undefined, status: undefined, team: 'payments', engine: undefined, sort: 'status', order: 'asc' });
  });
});
