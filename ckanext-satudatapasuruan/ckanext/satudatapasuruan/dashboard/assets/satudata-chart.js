/* satudata-chart: a Chart.js bar or line chart of a DataStore table (Portal Satu Data Kabupaten Pasuruan).
 *
 * Markup (rendered by satudata_dashboard/snippets/chart.html):
 *   <div data-module="satudata-chart" data-module-type="bar" data-module-resource-id="..."
 *        data-module-endpoint="/api/3/action/datastore_search" data-module-limit="500"
 *        data-module-table-rows="20">
 *     <form class="satudata-chart-form"> <select name="grafik_label"> <select name="grafik_nilai"> </form>  (optional)
 *     <figure> <div class="satudata-chart-canvas" hidden><canvas role="img" aria-label="..."></canvas></div>
 *              <figcaption>...<span class="satudata-chart-summary"></span></figcaption> </figure>
 *     <table class="satudata-chart-data-table"> ... </table>
 *     <script type="application/json" class="satudata-chart-data">{"labels": [], "values": [], ...}</script>
 *   </div>
 *
 * The page works without JavaScript (caption, table, and the form reloading the page); with it, the canvas is
 * shown and drawn, and changing a column redraws the chart, its caption and table from datastore_search.
 */
/* global Chart */
this.ckan.module('satudata-chart', function ($) {
  'use strict';

  var COLOUR = '#1f5fa8';  // 6.6:1 on white: bars and lines stay visible (WCAG 1.4.11)

  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function toNumber(value) {
    if (value === null || value === undefined || value === '' || typeof value === 'boolean') {
      return null;
    }
    var number = Number(value);
    return isFinite(number) ? number : null;
  }

  function toLabel(value, empty) {
    if (value === null || value === undefined || value === '') {
      return empty;
    }
    var text = String(value);
    return /^\d{4}-\d{2}-\d{2}T00:00:00$/.test(text) ? text.slice(0, 10) : text;
  }

  return {
    options: {
      type: 'bar',
      resourceId: null,
      endpoint: '/api/3/action/datastore_search',
      limit: 500,
      tableRows: 20
    },

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.data = this._readData();
      this.canvas = this.el.find('canvas')[0];
      this.format = new Intl.NumberFormat(document.documentElement.lang || 'id');
      if (!this.data || !this.canvas || typeof Chart === 'undefined') {
        return;  // the caption and the table stay the chart's content
      }
      this.el.find('.satudata-chart-canvas').prop('hidden', false);
      this._draw();
      var form = this.el.find('form.satudata-chart-form');
      if (form.length && this.options.resourceId) {
        form.on('change', 'select', this._onChange);
        form.on('submit', this._onSubmit);
      }
    },

    teardown: function () {
      if (this.chart) {
        this.chart.destroy();
      }
    },

    _readData: function () {
      var node = this.el.find('script.satudata-chart-data');
      if (!node.length) {
        return null;
      }
      try {
        return JSON.parse(node.text());
      } catch (err) {
        return null;
      }
    },

    _draw: function () {
      var data = this.data;
      var format = this.format;
      var reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      var line = (data.type || this.options.type) === 'line';
      if (this.chart) {
        this.chart.destroy();
      }
      this.chart = new Chart(this.canvas, {
        type: line ? 'line' : 'bar',
        data: {
          labels: data.labels,
          datasets: [{
            label: data.valueTitle,
            data: data.values,
            backgroundColor: COLOUR,
            borderColor: COLOUR,
            borderWidth: line ? 2 : 0,
            pointRadius: line ? 3 : 0,
            spanGaps: false
          }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: reduced ? false : { duration: 400 },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return data.valueTitle + ': ' + (item.raw === null ? '–' : format.format(item.raw));
                }
              }
            }
          },
          scales: {
            x: { title: { display: true, text: data.labelTitle }, ticks: { autoSkip: true, maxRotation: 60 } },
            y: {
              beginAtZero: true,
              title: { display: true, text: data.valueTitle },
              ticks: { callback: function (value) { return format.format(value); } }
            }
          }
        }
      });
      this.canvas.setAttribute('aria-label', fill(data.text.aria, {
        value: data.valueTitle, label: data.labelTitle, count: data.labels.length
      }));
    },

    _summary: function () {
      var points = [];
      for (var i = 0; i < this.data.labels.length; i++) {
        if (this.data.values[i] !== null) {
          points.push([this.data.labels[i], this.data.values[i]]);
        }
      }
      if (!points.length) {
        return this.data.text.empty;
      }
      var high = points[0];
      var low = points[0];
      points.forEach(function (p) {
        if (p[1] > high[1]) { high = p; }
        if (p[1] < low[1]) { low = p; }
      });
      var text = fill(this.data.text.summary, {
        count: this.data.labels.length, high: this.format.format(high[1]), high_label: high[0],
        low: this.format.format(low[1]), low_label: low[0]
      });
      if (this.data.truncated) {
        text += ' ' + fill(this.data.text.truncated, { read: this.data.rowsRead, total: this.data.total });
      }
      return text;
    },

    _renderText: function () {
      var data = this.data;
      var format = this.format;
      this.el.find('.satudata-chart-title').text(fill(data.text.title, { value: data.valueTitle, label: data.labelTitle }));
      this.el.find('.satudata-chart-summary').text(this._summary());
      var table = this.el.find('table.satudata-chart-data-table');
      table.find('thead th').eq(0).text(data.labelTitle);
      table.find('thead th').eq(1).text(data.valueTitle);
      var body = table.find('tbody').empty();
      var rows = Math.min(data.labels.length, this.options.tableRows);
      for (var i = 0; i < rows; i++) {
        var value = data.values[i];
        $('<tr>')
          .append($('<th scope="row">').text(data.labels[i]))
          .append($('<td class="satudata-number">').text(value === null ? '–' : format.format(value)))
          .appendTo(body);
      }
      this.el.find('.satudata-chart-more').prop('hidden', data.labels.length <= rows);
    },

    _fieldTitle: function (select) {
      return $(select).find('option:selected').text();
    },

    _onSubmit: function (event) {
      event.preventDefault();
      this._onChange();
    },

    _onChange: function () {
      var module = this;
      var form = this.el.find('form.satudata-chart-form');
      var labelSelect = form.find('select[name="grafik_label"]');
      var valueSelect = form.find('select[name="grafik_nilai"]');
      var labelField = labelSelect.val();
      var valueField = valueSelect.val();
      var status = this.el.find('.satudata-chart-status');
      if (!labelField || !valueField) {
        return;
      }
      status.text(this.data.text.loading);
      $.ajax({
        url: this.options.endpoint,
        dataType: 'json',
        traditional: true,
        data: {
          resource_id: this.options.resourceId,
          fields: [labelField, valueField].join(','),
          sort: '_id',
          limit: this.options.limit
        }
      }).done(function (response) {
        var result = response.result || {};
        var records = result.records || [];
        module.data.labels = records.map(function (r) { return toLabel(r[labelField], module.data.text.blank); });
        module.data.values = records.map(function (r) { return toNumber(r[valueField]); });
        module.data.labelTitle = module._fieldTitle(labelSelect);
        module.data.valueTitle = module._fieldTitle(valueSelect);
        module.data.total = result.total || records.length;
        module.data.rowsRead = records.length;
        module.data.truncated = module.data.total > records.length;
        module._draw();
        module._renderText();
        status.text(module.data.text.updated);
      }).fail(function () {
        status.text(module.data.text.failed);
      });
    }
  };
});
