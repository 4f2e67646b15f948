// Chinese-first wording, English on demand, and the number/area/money/date formats of the product:
// areas in 亩 (1 亩 = 10000/15 m²) or m², money in 万元, dates as 2025-09-05.

const zh = {
  'app.title': '国有“三资”一张图',
  'app.city': '',
  'nav.map': '资产地图', 'nav.dashboard': '领导驾驶舱',
  'basemap': '底图', 'basemap.none': '无底图（离线）', 'basemap.tdt_vec': '天地图 矢量', 'basemap.tdt_img': '天地图 影像', 'basemap.xyz': '自定义底图',
  'lang.switch': 'English', 'share': '复制链接', 'share.done': '链接已复制',
  'auth.required': '请登录后查看一张图', 'auth.login': '登录', 'auth.logout': '退出', 'auth.cancel': '取消', 'auth.username': '用户名', 'auth.password': '密码',
  'auth.bad': '用户名或密码错误', 'auth.welcome': '欢迎，{name}', 'auth.exportHint': '登录后可导出 Shapefile、GeoPackage 等格式',
  'role.admin': '管理员', 'role.analyst': '分析员', 'role.planner': '规划员', 'role.leader': '领导',
  // 地图编辑（edit/*.js）
  'edit.shape.button': '编辑形状', 'edit.shape.title': '编辑形状', 'edit.shape.hint': '拖动顶点修改界址；靠近相邻地块的顶点或边时自动吸附',
  'edit.shape.drawHint': '在地图上单击放置顶点（自动吸附相邻地块），至少三个点后点“完成”', 'edit.shape.finish': '完成',
  'edit.shape.undo': '撤销', 'edit.shape.save': '保存', 'edit.shape.cancel': '取消', 'edit.shape.saving': '正在保存…',
  'edit.shape.earlier': '在地图上显示此前形状', 'edit.shape.changed': '界址（形状）已修改', 'edit.topo': '拓扑检查：重叠 {o} 处，细小重叠 {s} 处，不足 1 米的缝隙 {g} 处', 'f.area_mu': '面积', 'f.overlap_reason': '重叠原因',
  'edit.overlap.title': '与现有地块重叠', 'edit.overlap.text': '新的界址与以下地块重叠，超过允许的误差：',
  'edit.overlap.reason': '重叠原因', 'edit.overlap.reasonHint': '请说明为何保留重叠（如历史遗留、权属争议）',
  'edit.overlap.confirm': '确认保存', 'edit.overlap.back': '返回修改',
  'edit.new.button': '新建资产', 'edit.new.title': '新建资产', 'edit.new.saved': '已新建资产', 'edit.new.notSaved': '尚未保存：可继续调整形状后再点“保存”',
  'edit.title': '修改台账', 'edit.note': '修改说明', 'edit.save': '保存修改', 'edit.saved': '已保存', 'edit.conflict': '已被他人修改，请刷新',
  'edit.refresh': '刷新', 'edit.nochange': '没有修改', 'edit.forbidden': '没有修改权限',
  'conflict.title': '保存前已被他人修改', 'conflict.hint': '您填写的内容已保留。最近修改人：{who}。核对当前值后，可按您填写的重新保存，或放弃您的修改。',
  'conflict.base': '您开始时', 'conflict.mine': '您填写的', 'conflict.current': '当前值', 'conflict.reapply': '按我填写的重新保存', 'conflict.discard': '放弃我的修改',
  'edit.stale': '此资产刚被他人修改：保存时将对照当前值',
  'tab.layers': '图层', 'tab.filters': '筛选', 'tab.query': '空间查询',
  'layers.assets': '资产图层', 'layers.reference': '参考图层', 'layers.colorBy': '着色方式',
  'colorBy.mode': '按盘活方式', 'colorBy.stage': '按盘活阶段',
  'legend': '图例', 'legend.total': '合计',
  'kind': '资产类型', 'kind.land': '土地', 'kind.mine': '矿产', 'kind.forest': '林场', 'kind.water': '水域', 'kind.building': '闲置房产',
  'layer.zone': '园区', 'layer.region': '行政区',
  'stage': '盘活阶段', 'stage.idle': '未盘活', 'stage.planned': '拟盘活', 'stage.in_progress': '盘活中', 'stage.done': '已盘活',
  'mode': '盘活方式', 'mode.use': '用', 'mode.sell': '售', 'mode.lease': '租', 'mode.finance': '融', 'mode.undecided': '未定',
  'mode.long.use': '自用', 'mode.long.sell': '出售', 'mode.long.lease': '出租', 'mode.long.finance': '融资', 'mode.long.undecided': '未定',
  'land_status': '土地状态', 'land_status.approved_unsupplied': '批而未供', 'land_status.idle': '闲置', 'land_status.inefficient': '低效', 'land_status.reserve': '储备', 'land_status.in_use': '在用',
  'region': '行政区', 'zone': '园区', 'all': '全部', 'any': '不限',
  'filters.area': '面积（亩）', 'filters.min': '最小', 'filters.max': '最大', 'filters.q': '名称、编号或持有人', 'filters.q.placeholder': '输入名称、资产编号或持有人',
  'filters.reset': '清除筛选', 'filters.active': '项筛选',
  'query.zone': '按园区查询', 'query.zone.pick': '选择园区', 'query.zone.idle': '园区闲置土地', 'query.zone.all': '园区全部资产', 'query.zone.minArea': '最小面积（亩）',
  'query.zone.hint': '闲置土地 = 批而未供 + 闲置，按与园区重叠面积计算',
  'query.draw': '按范围查询', 'query.draw.polygon': '多边形', 'query.draw.rectangle': '矩形', 'query.draw.circle': '圆形', 'query.draw.clear': '清除',
  'query.draw.hint': '在地图上绘制范围：多边形单击加点、双击结束；矩形与圆形单击起点、再单击终点；按 Esc 取消。绘制时单击只加点，不打开资产。查询同时套用当前筛选条件。',
  'query.buffer': '选中资产周边', 'query.buffer.radius': '缓冲距离', 'query.buffer.pick': '请先在地图或列表中选中一个资产',
  'query.buffer.hint': '选中一个资产后，查询其边界外一定距离（椭球面米数）内的资产。', 'query.buffer.bad': '缓冲距离须大于 0 米、不超过 {max} 米',
  'query.buffer.title': '选中资产周边 {m} 米',
  'results.filter': '筛选结果', 'results.zone': '园区查询', 'results.draw': '范围查询',
  'results.count': '宗', 'results.empty': '没有符合条件的资产', 'results.loading': '正在查询…',
  'results.expand': '展开列表', 'results.collapse': '收起列表', 'results.close': '关闭查询',
  'results.page': '第 {p} / {n} 页', 'results.prev': '上一页', 'results.next': '下一页',
  'export': '导出', 'export.xlsx': 'Excel', 'export.csv': 'CSV', 'export.geojson': 'GeoJSON', 'export.shapefile': 'SHP', 'export.gpkg': 'GPKG', 'export.busy': '正在导出…',
  'col.code': '资产编号', 'col.name': '名称', 'col.kind': '类型', 'col.region': '行政区', 'col.zone': '园区', 'col.area_mu': '面积（亩）',
  'col.overlap_mu': '重叠（亩）', 'col.overlap_share': '重叠比例', 'col.book_value': '账面价值（万元）', 'col.mode': '方式', 'col.stage': '阶段', 'col.holder': '持有人', 'col.land_status': '土地状态',
  'totals.count': '资产', 'totals.area': '面积', 'totals.value': '账面价值', 'totals.overlap': '重叠面积',
  'panel.close': '关闭', 'panel.zoom': '缩放至该资产', 'panel.facts': '台账信息', 'panel.land': '土地信息', 'panel.kindFacts': '专项信息', 'panel.history': '变更记录',
  'panel.noHistory': '暂无变更记录', 'panel.loading': '正在加载…',
  // 预警 and lease terms (warnings.js, leases.js)
  'warn.badge': '预警', 'warn.title': '预警', 'warn.none': '您的范围内暂无预警', 'warn.layers': '预警', 'warn.layer': '预警资产',
  'warn.key.urgent': '30天内或已到期', 'warn.key.soon': '31–90天', 'warn.more': '显示前 {n} 条，共 {total} 条',
  'warn.days.left': '还有{n}天', 'warn.days.today': '今天到期', 'warn.days.past': '已过{n}天',
  'warn.band.overdue': '已到期', 'warn.band.30': '30天内', 'warn.band.60': '31–60天', 'warn.band.90': '61–90天',
  'warn.land_fee_due': '闲置满一年(征收闲置费)', 'warn.land_recovery': '闲置满两年(可无偿收回)', 'warn.licence_expiring': '矿业权到期',
  'warn.lease_expiring': '租约到期', 'warn.concession_expiring': '特许经营到期', 'warn.idle_unassigned': '闲置未入项目',
  'warn.report_missing': '未按期报送', 'warn.building_vacant': '房产空置超一年',
  'lease.title': '租赁与特许经营', 'lease.none': '暂无租约', 'lease.kind': '类型', 'lease.kind.lease': '出租', 'lease.kind.concession': '特许经营',
  'lease.tenant': '承租方', 'lease.start': '起始日期', 'lease.end': '到期日期', 'lease.rent': '年租金', 'lease.received': '已收租金',
  'lease.note': '备注', 'lease.add': '添加租约', 'lease.delete': '删除', 'lease.saved': '租约已保存', 'lease.deleted': '租约已删除',
  'lease.field.tenant': '承租方', 'lease.field.kind': '类型', 'lease.field.start_date': '起始日期', 'lease.field.end_date': '到期日期',
  'lease.field.annual_rent': '年租金（万元）', 'lease.field.rent_received': '已收租金（万元）', 'lease.field.body': '内容',
  'f.code': '资产编号', 'f.name': '名称', 'f.kind': '资产类型', 'f.region': '行政区', 'f.zone': '所在园区', 'f.holder': '资产持有人', 'f.holder_type': '持有人类型',
  'f.responsible_unit': '责任单位', 'f.responsible_person': '责任人', 'f.area': '面积', 'f.book_value': '账面价值', 'f.appraised_value': '评估价值',
  'f.mode': '盘活方式', 'f.stage': '盘活阶段', 'f.revenue': '盘活收益', 'f.updated_at': '更新时间', 'f.source_crs': '来源坐标系',
  'f.land_status': '土地状态', 'f.land_class': '地类', 'f.approval_no': '批准文号', 'f.approval_date': '批准日期', 'f.supply_method': '供地方式', 'f.supply_date': '供地日期',
  'f.agreed_start': '约定动工', 'f.actual_start': '实际动工', 'f.developed_share': '已开发比例', 'f.invested_share': '已投资比例', 'f.idle_cause': '闲置原因',
  'f.idle': '闲置认定', 'f.idle.yes': '闲置', 'f.idle.no': '不构成闲置', 'f.days_overdue': '逾期天数', 'f.fee_due': '应征闲置费', 'f.recoverable': '可无偿收回', 'f.override': '人工认定',
  'idle_cause.government': '政府原因', 'idle_cause.enterprise': '企业原因',
  'f.idle_override': '人工认定', 'f.idle_override_reason': '认定理由', 'f.land_class_system': '地类分类体系', 'f.land_class_code': '地类编码',
  'idle.fee': '闲置费约', 'idle.fee.basis': '（按{what} {base} 的 20% 计）', 'idle.fee.unknown': '闲置费按土地价款的 20% 计征；价款未录入，无法计算',
  'override.none': '按规则认定（不覆盖）', 'override.as': '认定为：{s}',
  'edit.group.disposal': '盘活情况', 'edit.group.idle': '闲置认定', 'edit.group.land': '土地信息', 'edit.group.ledger': '台账信息',
  'edit.required': '{f}不能为空', 'edit.badNumber': '{f}须为数字', 'edit.overrideReason': '人工认定须填写认定理由',
  'unit.day': '天',
  'class.gbt21010_2017': 'GB/T 21010-2017', 'class.tdly2023': '用地用海分类（2023）',
  'fact.right_type': '矿业权类型', 'fact.mineral': '矿种', 'fact.licence_no': '许可证号', 'fact.valid_from': '有效期起', 'fact.valid_to': '有效期止', 'fact.reserves': '储量', 'fact.scale': '规模',
  'fact.farm_name': '林场名称', 'fact.forest_type': '林种', 'fact.main_species': '主要树种', 'fact.stock_m3': '蓄积量（m³）',
  'fact.water_type': '水体类型', 'fact.capacity_wan_m3': '库容（万m³）', 'fact.aquaculture': '养殖情况', 'fact.water_rights': '取水权',
  'fact.floor_area_m2': '建筑面积（m²）', 'fact.floors': '层数', 'fact.year_built': '建成年份', 'fact.use': '用途', 'fact.idle_since': '闲置起始', 'fact.title_status': '权证状态',
  'v.exploration': '探矿权', 'v.mining': '采矿权', 'v.large': '大型', 'v.medium': '中型', 'v.small': '小型', 'v.public_welfare': '公益林', 'v.commercial': '商品林',
  'v.lake': '湖泊', 'v.reservoir': '水库', 'v.river_section': '河段', 'v.certified': '已办证', 'v.uncertified': '未办证', 'v.partial': '部分办证',
  'yes': '是', 'no': '否',
  'holder_type.state_owned_enterprise': '国有企业', 'holder_type.government': '行政机关', 'holder_type.public_institution': '事业单位', 'holder_type.collective': '集体经济组织',
  'action.create': '新建', 'action.update': '修改', 'action.delete': '删除', 'action.restore': '恢复', 'action.import': '导入',
  'aggregate': '{n} 宗地块（汇总）', 'aggregate.hint': '放大查看单宗地块',
  'cells.legend': '格网（14级以下）', 'cells.hint': '颜色 = 面积最多的类别，深浅 = 地块覆盖率',
  'choro': '县市区专题', 'choro.off': '不显示', 'choro.idle_share': '未盘活面积占比', 'choro.done_share': '已盘活面积占比', 'choro.mu': '{mode}面积（亩）',
  'choro.idleLand': '闲置土地在哪', 'choro.hint': '按全部阶段统计，缩小到全市查看',
  'dash.filters': '驾驶舱沿用地图筛选：', 'dash.reset': '清除筛选', 'dash.trend': '月度趋势', 'dash.trend.hint': '每月已盘活宗数（来自台账变更记录）', 'dash.trend.months': '近 {n} 个月',
  'dash.total': '资产总数', 'dash.area': '总面积', 'dash.value': '账面价值', 'dash.revenue': '盘活收益', 'dash.rate': '盘活率',
  'dash.rate.hint': '已盘活面积 / 总面积', 'dash.byKind': '按资产类型', 'dash.byMode': '按盘活方式', 'dash.byCounty': '各县市区资产面积（按阶段）',
  'dash.progress': '盘活进度', 'dash.ranking': '盘活榜单', 'dash.rank': '排名', 'dash.county': '县市区', 'dash.done': '已盘活',
  'dash.filtered': '当前：{name}', 'dash.clear': '显示全市', 'dash.clickHint': '点击县市区筛选地图',
  'dash.clickHint.city': '点击市州查看其县市区', 'dash.crumbs': '所在层级', 'dash.byCity': '各市州资产面积（按阶段）', 'dash.city': '市州',
  'city.totals': '{n} 宗 · 闲置 {idle} 亩',
  'dash.targets': '年度目标', 'dash.targets.none': '{year} 年未下达目标', 'dash.targets.hint': '{year} 年：实际 / 目标（完成率）',
  'target.done_count': '盘活宗数', 'target.revenue': '盘活收益', 'target.idle_share': '闲置处置', 'target.approved_unsupplied_share': '批而未供',
  'unit.mu': '亩', 'unit.m2': 'm²', 'unit.m': '米', 'unit.wan': '万元', 'unit.count': '宗',
  'err.load': '数据加载失败', 'err.retry': '重试', 'map.loading': '地图加载中…',
  'attribution': 'OneMap',
  'auth.locked': '尝试次数过多，账号或地址已被暂时锁定，请稍后再试',
  'pw.title': '修改密码', 'pw.current': '当前密码', 'pw.new': '新密码', 'pw.again': '确认新密码', 'pw.submit': '修改密码',
  'pw.rule': '至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，且不得包含用户名。',
  'pw.forced': '首次登录或密码已过期：请先修改密码，之后才能使用系统。', 'pw.mismatch': '两次输入的新密码不一致',
  'pw.badCurrent': '当前密码不正确', 'pw.refused': '密码不符合要求', 'pw.changed': '密码已修改，其他会话已退出',
  'users.title': '用户管理', 'users.create': '新建用户', 'users.displayName': '姓名', 'users.role': '角色', 'users.region': '行政区范围',
  'users.anyRegion': '不限', 'users.generate': '留空则自动生成', 'users.status': '状态', 'users.pwChanged': '密码修改时间', 'users.actions': '操作',
  'users.active': '正常', 'users.disabled': '已停用', 'users.locked': '已锁定', 'users.mustChange': '待改密',
  'users.reset': '重置密码', 'users.disable': '停用', 'users.enable': '启用', 'users.unlock': '解锁', 'users.tokens': '会话与令牌',
  'users.created': '已创建用户 {name}，首次登录须修改密码', 'users.createdPw': '已创建用户 {name}，初始密码：{pw}（首次登录须修改）',
  'users.resetConfirm': '重置 {name} 的密码？该用户的全部会话和令牌将立即失效。', 'users.resetDone': '{name} 的新密码：{pw}（下次登录须修改；原会话和令牌已失效）',
  'users.saved': '已保存', 'users.failed': '操作失败', 'users.tokensOf': '{name} 的会话与令牌', 'users.noTokens': '没有有效的会话或令牌',
  'users.tokenName': '名称', 'users.session': '登录会话', 'users.createdAt': '创建时间', 'users.expires': '到期时间', 'users.lastUsed': '最近使用',
  'users.revoke': '撤销', 'users.revokeAll': '全部撤销',
  'role.reviewer': '审核员', 'role.reporter': '填报员', 'users.unit': '所属单位', 'users.noUnit': '—', 'users.unitHint': '所属单位（填报员必选）',
  'reports.title': '月报', 'reports.month': '月份', 'reports.export': '导出本月月报', 'reports.awaiting': '待审核 {n}',
  'reports.projects': '本月项目报送情况', 'reports.code': '项目编号', 'reports.name': '项目名称', 'reports.unit': '所属单位', 'reports.state': '状态',
  'reports.none': '未填报', 'reports.empty': '本月没有需要报送的项目', 'reports.fill': '填报', 'reports.view': '查看', 'reports.review': '审核',
  'reports.stage': '盘活阶段', 'reports.quantity': '实物量', 'reports.quantityUnit': '单位', 'reports.economic': '经济效益（万元）',
  'reports.social': '社会效益', 'reports.treasury': '入库收益（万元）', 'reports.fiscal': '其中本级可用财力（万元）', 'reports.case': '典型案例',
  'reports.save': '保存草稿', 'reports.submit': '报送', 'reports.approve': '审核通过', 'reports.return': '退回', 'reports.reason': '退回原因',
  'reports.saved': '草稿已保存', 'reports.submitted': '已报送，等待审核', 'reports.approved': '已审核通过', 'reports.returned': '已退回填报单位',
  'reports.needReason': '请填写退回原因', 'reports.locked': '本月报已审核，不可修改', 'reports.underReview': '已报送，审核中，不可修改',
  'reports.returnedBecause': '退回原因：{reason}', 'reports.formTitle': '{code} {name} · {month} 月报', 'reports.back': '返回列表',
  'reports.missing': '逾期未报送（截止 {due}）', 'reports.missingNone': '截止 {due} 前均已报送', 'reports.due': '报送截止：{due}（每月 25 日）',
  'reports.failed': '操作失败', 'reports.by': '{who} 于 {at}',
  'report.state.draft': '草稿', 'report.state.submitted': '已报送', 'report.state.approved': '已审核', 'report.state.returned': '已退回',
  'report.group.county': '县市组', 'report.group.district': '城区组', 'report.group.city': '市级组', 'report.group.zone': '园区组', 'report.group.enterprise': '国有企业组',
  'admin.menu': '系统管理', 'places.title': '行政区与园区', 'places.hint': '导入行政区（三调行政区图层：XZQDM/XZQMC，或 行政区划代码/行政区名称、code/name）或园区边界：压缩的 Shapefile（GBK 或 UTF-8）、GeoPackage、GeoJSON、KML，CGCS2000 经纬度或高斯-克吕格投影。先试导入查看将发生的变化，再正式导入；边界变动处的资产将重新确定所属区县和园区，并记入历史。',
  'places.kind': '类型', 'places.region': '行政区', 'places.zone': '园区', 'places.file': '边界文件', 'places.encoding': '编码（可选）',
  'places.dry': '试导入', 'places.load': '正式导入', 'places.pick': '请选择边界文件', 'places.working': '正在处理…', 'places.done': '边界已导入',
  'places.summaryDry': '试导入（未写入）：{rows} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}；坐标系 {crs}',
  'places.summary': '已导入：{rows} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}；{moved} 项资产重新确定所属区县/园区；坐标系 {crs}',
  'places.code': '代码', 'places.name': '名称', 'places.action': '变化', 'places.fields': '变化内容', 'places.row': '行', 'places.reason': '原因',
  'places.insert': '新增', 'places.update': '更新', 'places.f.name': '名称', 'places.f.level': '级别', 'places.f.parent_code': '上级', 'places.f.type': '类型', 'places.f.region_code': '所属区县', 'places.f.geometry': '边界',
  'audit.title': '审计日志', 'audit.from': '起始日期', 'audit.to': '截止日期', 'audit.actor': '操作人', 'audit.action': '操作', 'audit.q': '关键词',
  'audit.search': '查询', 'audit.csv': '导出 CSV', 'audit.at': '时间', 'audit.target': '对象', 'audit.detail': '详情', 'audit.ip': '地址',
  'audit.empty': '没有符合条件的记录', 'audit.total': '共 {n} 条',
  'audit.login.ok': '登录成功', 'audit.login.failed': '登录失败', 'audit.login.locked': '账号锁定', 'audit.login.unlocked': '账号解锁', 'audit.login.throttled': '地址限流', 'audit.logout': '退出登录', 'audit.token.issue': '签发令牌', 'audit.token.revoke': '撤销令牌', 'audit.user.create': '创建用户', 'audit.user.update': '修改用户', 'audit.user.disable': '停用用户', 'audit.user.enable': '启用用户', 'audit.user.password': '设置密码', 'audit.export': '导出', 'audit.import': '导入', 'audit.audit.export': '导出审计日志', 'audit.audit.prune': '清理审计日志', 'audit.print': '打印专题图', 'audit.attachment.add': '添加附件', 'audit.attachment.delete': '删除附件', 'audit.lease.add': '登记租约', 'audit.lease.delete': '删除租约',
  // 盘活榜单 in five groups, 工作领域 and 目标管理 (board.js, targets.js)
  'board.title': '盘活榜单（五组）', 'board.open': '五组榜单', 'board.group': '分组', 'board.month': '月份', 'board.download': '下载榜单 XLSX',
  'board.group.county': '县市组', 'board.group.district': '城区组', 'board.group.city': '市级组', 'board.group.zone': '园区组', 'board.group.enterprise': '国有企业组',
  'board.trend': '近 12 个月经济效益（万元）', 'board.madeAt': '制表时间：{date}', 'board.unit': '单位：万元', 'board.total': '本组合计',
  'board.rank': '排名', 'board.unitName': '单位', 'board.projects': '项目数', 'board.quantity': '实物量', 'board.economic': '经济效益（万元）',
  'board.treasury': '入库收益（万元）', 'board.fiscal': '本级可用财力（万元）', 'board.cases': '典型案例',
  'board.field.natural_resources': '自然资源', 'board.field.water': '水利', 'board.field.forestry': '林业', 'board.field.zones_energy': '园区和能源', 'board.field.data': '数据',
  'board.field.culture_tourism': '文旅', 'board.field.party_gov_assets': '党政机关资产', 'board.field.institution_assets': '其他行政事业资产', 'board.field.enterprise_assets': '企业国有资产', 'board.field.concession': '特许经营权',
  'target.benefit': '预期盘活效益', 'dash.fields': '工作领域', 'dash.fields.lead': '牵头单位',
  'targets.title': '目标管理', 'targets.year': '年度', 'targets.save': '保存目标', 'targets.regions': '各地区预期盘活效益', 'targets.fields': '各工作领域目标',
  'targets.import': '从 XLSX 导入', 'targets.importHint': '按方案表格式：地区 | 预期盘活效益(万元)，或 序号 | 工作领域 | 牵头及配合单位 | 主要任务 | 预期盘活效益(万元)；表头前可有标题行，合计行不计。先预览，再正式导入；任何一行有误则不写入。',
  'targets.file': 'XLSX 文件', 'targets.dry': '预览', 'targets.load': '正式导入', 'targets.region': '地区', 'targets.benefit': '预期盘活效益（万元）', 'targets.field': '工作领域',
  'targets.lead_unit': '牵头单位', 'targets.partners': '配合单位', 'targets.tasks': '主要任务', 'targets.saved': '目标已保存', 'targets.failed': '保存失败',
  'targets.pick': '请选择 XLSX 文件', 'targets.imported': '目标已导入', 'targets.column': '列', 'targets.shape.regions': '地区表', 'targets.shape.fields': '工作领域表',
  'targets.summaryBad': '{errors} 处有误，未写入任何目标', 'targets.summaryDry': '预览（未写入）：{shape}，新增 {created}，更新 {updated}，未变 {unchanged}',
  'targets.summary': '已导入：{shape}，新增 {created}，更新 {updated}，未变 {unchanged}',
};

const en = {
  'app.title': 'State Assets One Map', 'app.city': '',
  'nav.map': 'Asset map', 'nav.dashboard': 'Leader view',
  'basemap': 'Basemap', 'basemap.none': 'None (offline)', 'basemap.tdt_vec': 'Tianditu vector', 'basemap.tdt_img': 'Tianditu imagery', 'basemap.xyz': 'Custom basemap',
  'lang.switch': '中文', 'share': 'Copy link', 'share.done': 'Link copied',
  'auth.required': 'Sign in to see the map', 'auth.login': 'Sign in', 'auth.logout': 'Sign out', 'auth.cancel': 'Cancel', 'auth.username': 'Username', 'auth.password': 'Password',
  'auth.bad': 'Wrong username or password', 'auth.welcome': 'Welcome, {name}', 'auth.exportHint': 'Sign in to export Shapefile, GeoPackage and more',
  'role.admin': 'admin', 'role.analyst': 'analyst', 'role.planner': 'planner', 'role.leader': 'leader',
  'edit.shape.button': 'Edit shape', 'edit.shape.title': 'Edit shape', 'edit.shape.hint': 'Drag vertices; they snap to neighbouring parcels\' vertices and edges',
  'edit.shape.drawHint': 'Click to place vertices (they snap to neighbours); press Finish after three or more', 'edit.shape.finish': 'Finish',
  'edit.shape.undo': 'Undo', 'edit.shape.save': 'Save', 'edit.shape.cancel': 'Cancel', 'edit.shape.saving': 'Saving…',
  'edit.shape.earlier': 'Show the earlier outline on the map', 'edit.shape.changed': 'Outline changed', 'edit.topo': 'Topology: {o} overlaps, {s} slivers, {g} gaps under 1 m', 'f.area_mu': 'Area', 'f.overlap_reason': 'Overlap reason',
  'edit.overlap.title': 'Overlaps existing parcels', 'edit.overlap.text': 'The new outline overlaps these parcels beyond the tolerance:',
  'edit.overlap.reason': 'Reason', 'edit.overlap.reasonHint': 'Say why the overlap stays (e.g. a disputed boundary)',
  'edit.overlap.confirm': 'Save anyway', 'edit.overlap.back': 'Back to editing',
  'edit.new.button': 'New asset', 'edit.new.title': 'New asset', 'edit.new.saved': 'Asset created', 'edit.new.notSaved': 'Not saved: adjust the shape and press Save again',
  'edit.title': 'Edit ledger', 'edit.note': 'Note', 'edit.save': 'Save', 'edit.saved': 'Saved', 'edit.conflict': 'Changed by someone else, please refresh',
  'edit.refresh': 'Refresh', 'edit.nochange': 'Nothing changed', 'edit.forbidden': 'Not allowed to edit',
  'conflict.title': 'Changed by someone else before your save', 'conflict.hint': 'What you typed is kept. Last changed by {who}. Check the current values, then save yours again or drop them.',
  'conflict.base': 'When you began', 'conflict.mine': 'Yours', 'conflict.current': 'Current', 'conflict.reapply': 'Save mine again', 'conflict.discard': 'Drop my changes',
  'edit.stale': 'Someone else just changed this asset: your save will be checked against the current values',
  'tab.layers': 'Layers', 'tab.filters': 'Filters', 'tab.query': 'Spatial query',
  'layers.assets': 'Asset layers', 'layers.reference': 'Reference layers', 'layers.colorBy': 'Colour by',
  'colorBy.mode': 'Disposal mode', 'colorBy.stage': 'Stage',
  'legend': 'Legend', 'legend.total': 'Total',
  'kind': 'Kind', 'kind.land': 'Land', 'kind.mine': 'Mines', 'kind.forest': 'Forest farms', 'kind.water': 'Water', 'kind.building': 'Idle buildings',
  'layer.zone': 'Development zones', 'layer.region': 'Counties',
  'stage': 'Stage', 'stage.idle': 'Not started', 'stage.planned': 'Planned', 'stage.in_progress': 'In progress', 'stage.done': 'Revitalised',
  'mode': 'Mode', 'mode.use': 'Use', 'mode.sell': 'Sell', 'mode.lease': 'Lease', 'mode.finance': 'Finance', 'mode.undecided': 'Undecided',
  'mode.long.use': 'Use', 'mode.long.sell': 'Sell', 'mode.long.lease': 'Lease', 'mode.long.finance': 'Finance', 'mode.long.undecided': 'Undecided',
  'land_status': 'Land status', 'land_status.approved_unsupplied': 'Approved, unsupplied', 'land_status.idle': 'Idle', 'land_status.inefficient': 'Inefficient', 'land_status.reserve': 'Reserve', 'land_status.in_use': 'In use',
  'region': 'County', 'zone': 'Zone', 'all': 'All', 'any': 'Any',
  'filters.area': 'Area (mu)', 'filters.min': 'Min', 'filters.max': 'Max', 'filters.q': 'Name, code or holder', 'filters.q.placeholder': 'Type a name, asset code or holder',
  'filters.reset': 'Clear filters', 'filters.active': 'filters',
  'query.zone': 'By development zone', 'query.zone.pick': 'Choose a zone', 'query.zone.idle': 'Idle land in zone', 'query.zone.all': 'All assets in zone', 'query.zone.minArea': 'Min area (mu)',
  'query.zone.hint': 'Idle land = approved-unsupplied + idle, measured by overlap with the zone',
  'query.draw': 'By drawn area', 'query.draw.polygon': 'Polygon', 'query.draw.rectangle': 'Rectangle', 'query.draw.circle': 'Circle', 'query.draw.clear': 'Clear',
  'query.draw.hint': 'Draw on the map: polygon — click to add points, double-click to finish; rectangle and circle — click start, click end; Esc cancels. While drawing, clicks only add points. Current filters apply too.',
  'query.buffer': 'Around selected asset', 'query.buffer.radius': 'Buffer distance', 'query.buffer.pick': 'Select an asset on the map or in the list first',
  'query.buffer.hint': 'With an asset selected, lists the assets within this distance of its boundary (metres on the ellipsoid).', 'query.buffer.bad': 'The distance must be above 0 m and at most {max} m',
  'query.buffer.title': 'Within {m} m of the selected asset',
  'results.filter': 'Filtered assets', 'results.zone': 'Zone query', 'results.draw': 'Area query',
  'results.count': 'assets', 'results.empty': 'No asset matches', 'results.loading': 'Searching…',
  'results.expand': 'Show list', 'results.collapse': 'Hide list', 'results.close': 'Close query',
  'results.page': 'Page {p} of {n}', 'results.prev': 'Previous', 'results.next': 'Next',
  'export': 'Export', 'export.xlsx': 'Excel', 'export.csv': 'CSV', 'export.geojson': 'GeoJSON', 'export.shapefile': 'SHP', 'export.gpkg': 'GPKG', 'export.busy': 'Exporting…',
  'col.code': 'Code', 'col.name': 'Name', 'col.kind': 'Kind', 'col.region': 'County', 'col.zone': 'Zone', 'col.area_mu': 'Area (mu)',
  'col.overlap_mu': 'Overlap (mu)', 'col.overlap_share': 'Overlap share', 'col.book_value': 'Book value (10k CNY)', 'col.mode': 'Mode', 'col.stage': 'Stage', 'col.holder': 'Holder', 'col.land_status': 'Land status',
  'totals.count': 'Assets', 'totals.area': 'Area', 'totals.value': 'Book value', 'totals.overlap': 'Overlap',
  'panel.close': 'Close', 'panel.zoom': 'Zoom to asset', 'panel.facts': 'Ledger', 'panel.land': 'Land', 'panel.kindFacts': 'Details', 'panel.history': 'History',
  'panel.noHistory': 'No changes recorded', 'panel.loading': 'Loading…',
  // 预警 and lease terms (warnings.js, leases.js)
  'warn.badge': 'Alerts', 'warn.title': 'Warnings', 'warn.none': 'No warnings in your scope', 'warn.layers': 'Warnings', 'warn.layer': 'Warned assets',
  'warn.key.urgent': 'within 30 days or passed', 'warn.key.soon': '31–90 days', 'warn.more': 'First {n} of {total}',
  'warn.days.left': '{n} days left', 'warn.days.today': 'due today', 'warn.days.past': '{n} days ago',
  'warn.band.overdue': 'Passed', 'warn.band.30': 'Within 30 days', 'warn.band.60': '31–60 days', 'warn.band.90': '61–90 days',
  'warn.land_fee_due': 'Idle 1 year (idle fee)', 'warn.land_recovery': 'Idle 2 years (recoverable)', 'warn.licence_expiring': 'Mining licence expiring',
  'warn.lease_expiring': 'Lease expiring', 'warn.concession_expiring': 'Concession expiring', 'warn.idle_unassigned': 'Idle, in no project',
  'warn.report_missing': 'Report missing', 'warn.building_vacant': 'Building vacant over a year',
  'lease.title': 'Leases and concessions', 'lease.none': 'No leases', 'lease.kind': 'Kind', 'lease.kind.lease': 'Lease', 'lease.kind.concession': 'Concession',
  'lease.tenant': 'Tenant', 'lease.start': 'Start', 'lease.end': 'End', 'lease.rent': 'Annual rent', 'lease.received': 'Rent received',
  'lease.note': 'Note', 'lease.add': 'Add a lease', 'lease.delete': 'Delete', 'lease.saved': 'Lease saved', 'lease.deleted': 'Lease deleted',
  'lease.field.tenant': 'Tenant', 'lease.field.kind': 'Kind', 'lease.field.start_date': 'Start', 'lease.field.end_date': 'End',
  'lease.field.annual_rent': 'Annual rent (10k yuan)', 'lease.field.rent_received': 'Rent received (10k yuan)', 'lease.field.body': 'Body',
  'f.code': 'Asset code', 'f.name': 'Name', 'f.kind': 'Kind', 'f.region': 'County', 'f.zone': 'Zone', 'f.holder': 'Holder', 'f.holder_type': 'Holder type',
  'f.responsible_unit': 'Responsible unit', 'f.responsible_person': 'Responsible person', 'f.area': 'Area', 'f.book_value': 'Book value', 'f.appraised_value': 'Appraised value',
  'f.mode': 'Disposal mode', 'f.stage': 'Stage', 'f.revenue': 'Revenue', 'f.updated_at': 'Updated', 'f.source_crs': 'Source CRS',
  'f.land_status': 'Land status', 'f.land_class': 'Land class', 'f.approval_no': 'Approval no.', 'f.approval_date': 'Approved on', 'f.supply_method': 'Supply method', 'f.supply_date': 'Supplied on',
  'f.agreed_start': 'Agreed start', 'f.actual_start': 'Actual start', 'f.developed_share': 'Developed share', 'f.invested_share': 'Invested share', 'f.idle_cause': 'Idle cause',
  'f.idle': 'Idle assessment', 'f.idle.yes': 'Idle land', 'f.idle.no': 'Not idle', 'f.days_overdue': 'Days overdue', 'f.fee_due': 'Idle fee due', 'f.recoverable': 'Recoverable', 'f.override': 'Manual ruling',
  'idle_cause.government': 'Government', 'idle_cause.enterprise': 'Enterprise',
  'f.idle_override': 'Manual ruling', 'f.idle_override_reason': 'Reason for ruling', 'f.land_class_system': 'Land class system', 'f.land_class_code': 'Land class code',
  'idle.fee': 'Idle fee about', 'idle.fee.basis': '(20 % of the {what}, {base})', 'idle.fee.unknown': 'The idle fee is 20 % of the land price; no price is recorded',
  'override.none': 'By the rules (no override)', 'override.as': 'Rule as: {s}',
  'edit.group.disposal': 'Disposal', 'edit.group.idle': 'Idle assessment', 'edit.group.land': 'Land', 'edit.group.ledger': 'Ledger',
  'edit.required': '{f} must not be empty', 'edit.badNumber': '{f} must be a number', 'edit.overrideReason': 'A manual ruling needs its reason',
  'unit.day': 'days',
  'class.gbt21010_2017': 'GB/T 21010-2017', 'class.tdly2023': 'Land & sea use 2023',
  'fact.right_type': 'Right type', 'fact.mineral': 'Mineral', 'fact.licence_no': 'Licence no.', 'fact.valid_from': 'Valid from', 'fact.valid_to': 'Valid to', 'fact.reserves': 'Reserves', 'fact.scale': 'Scale',
  'fact.farm_name': 'Farm', 'fact.forest_type': 'Forest type', 'fact.main_species': 'Main species', 'fact.stock_m3': 'Stock (m³)',
  'fact.water_type': 'Water body', 'fact.capacity_wan_m3': 'Capacity (10k m³)', 'fact.aquaculture': 'Aquaculture', 'fact.water_rights': 'Water rights',
  'fact.floor_area_m2': 'Floor area (m²)', 'fact.floors': 'Floors', 'fact.year_built': 'Built', 'fact.use': 'Use', 'fact.idle_since': 'Idle since', 'fact.title_status': 'Title',
  'v.exploration': 'Exploration', 'v.mining': 'Mining', 'v.large': 'Large', 'v.medium': 'Medium', 'v.small': 'Small', 'v.public_welfare': 'Public welfare', 'v.commercial': 'Commercial',
  'v.lake': 'Lake', 'v.reservoir': 'Reservoir', 'v.river_section': 'River section', 'v.certified': 'Certified', 'v.uncertified': 'Uncertified', 'v.partial': 'Partly certified',
  'yes': 'Yes', 'no': 'No',
  'holder_type.state_owned_enterprise': 'State-owned enterprise', 'holder_type.government': 'Government body', 'holder_type.public_institution': 'Public institution', 'holder_type.collective': 'Collective',
  'action.create': 'Created', 'action.update': 'Changed', 'action.delete': 'Deleted', 'action.restore': 'Restored', 'action.import': 'Imported',
  'aggregate': '{n} parcels (aggregate)', 'aggregate.hint': 'Zoom in for single parcels',
  'cells.legend': 'Grid cells (below zoom 14)', 'cells.hint': 'colour = largest category, shade = share of the cell covered',
  'choro': 'County map', 'choro.off': 'Off', 'choro.idle_share': 'Share idle (area)', 'choro.done_share': 'Share revitalised (area)', 'choro.mu': '{mode} area (mu)',
  'choro.idleLand': 'Where is the idle land', 'choro.hint': 'Over all stages; zoom out to the city',
  'dash.filters': 'Map filters apply here:', 'dash.reset': 'Clear filters', 'dash.trend': 'Monthly trend', 'dash.trend.hint': 'Assets revitalised per month (from the ledger history)', 'dash.trend.months': 'last {n} months',
  'dash.total': 'Assets', 'dash.area': 'Total area', 'dash.value': 'Book value', 'dash.revenue': 'Revenue', 'dash.rate': 'Revitalised',
  'dash.rate.hint': 'revitalised area / total area', 'dash.byKind': 'By kind', 'dash.byMode': 'By disposal mode', 'dash.byCounty': 'Area by county and stage',
  'dash.progress': 'Progress', 'dash.ranking': 'County ranking', 'dash.rank': 'Rank', 'dash.county': 'County', 'dash.done': 'Revitalised',
  'dash.filtered': 'Showing: {name}', 'dash.clear': 'Whole city', 'dash.clickHint': 'Click a county to filter the map',
  'dash.clickHint.city': 'Click a city to see its counties', 'dash.crumbs': 'Level', 'dash.byCity': 'Area by city and stage', 'dash.city': 'City',
  'city.totals': '{n} assets · {idle} mu idle',
  'dash.targets': 'Targets', 'dash.targets.none': 'No targets set for {year}', 'dash.targets.hint': '{year}: actual / target (completion)',
  'target.done_count': 'Revitalised', 'target.revenue': 'Revenue', 'target.idle_share': 'Idle land', 'target.approved_unsupplied_share': 'Unsupplied',
  'unit.mu': 'mu', 'unit.m2': 'm²', 'unit.m': 'm', 'unit.wan': '10k CNY', 'unit.count': '',
  'err.load': 'Could not load data', 'err.retry': 'Retry', 'map.loading': 'Loading map…',
  'attribution': 'OneMap',
  'auth.locked': 'Too many attempts: the account or address is locked for a while; try again later',
  'pw.title': 'Change password', 'pw.current': 'Current password', 'pw.new': 'New password', 'pw.again': 'Repeat new password', 'pw.submit': 'Change password',
  'pw.rule': 'At least 8 characters from 3 of: upper case, lower case, digits, symbols; not containing the user name.',
  'pw.forced': 'First sign-in or expired password: change it before using the system.', 'pw.mismatch': 'The new passwords differ',
  'pw.badCurrent': 'The current password is wrong', 'pw.refused': 'Password refused', 'pw.changed': 'Password changed; other sessions signed out',
  'users.title': 'Users', 'users.create': 'Create user', 'users.displayName': 'Name', 'users.role': 'Role', 'users.region': 'Region scope',
  'users.anyRegion': 'Any', 'users.generate': 'empty: generated', 'users.status': 'Status', 'users.pwChanged': 'Password changed', 'users.actions': 'Actions',
  'users.active': 'Active', 'users.disabled': 'Disabled', 'users.locked': 'Locked', 'users.mustChange': 'Must change password',
  'users.reset': 'Reset password', 'users.disable': 'Disable', 'users.enable': 'Enable', 'users.unlock': 'Unlock', 'users.tokens': 'Sessions & tokens',
  'users.created': 'User {name} created; the password must be changed at first sign-in', 'users.createdPw': 'User {name} created, initial password: {pw} (to be changed at first sign-in)',
  'users.resetConfirm': 'Reset the password of {name}? All of the user\'s sessions and tokens end at once.', 'users.resetDone': 'New password of {name}: {pw} (to be changed at next sign-in; sessions and tokens ended)',
  'users.saved': 'Saved', 'users.failed': 'Failed', 'users.tokensOf': 'Sessions and tokens of {name}', 'users.noTokens': 'No live sessions or tokens',
  'users.tokenName': 'Name', 'users.session': 'Sign-in session', 'users.createdAt': 'Created', 'users.expires': 'Expires', 'users.lastUsed': 'Last used',
  'users.revoke': 'Revoke', 'users.revokeAll': 'Revoke all',
  'role.reviewer': 'reviewer', 'role.reporter': 'reporter', 'users.unit': 'Unit', 'users.noUnit': '—', 'users.unitHint': 'Unit (reporters need one)',
  'reports.title': 'Monthly reports', 'reports.month': 'Month', 'reports.export': 'Export this month', 'reports.awaiting': '{n} to review',
  'reports.projects': 'Projects this month', 'reports.code': 'Code', 'reports.name': 'Project', 'reports.unit': 'Unit', 'reports.state': 'State',
  'reports.none': 'Not reported', 'reports.empty': 'No project to report this month', 'reports.fill': 'Fill in', 'reports.view': 'View', 'reports.review': 'Review',
  'reports.stage': 'Stage', 'reports.quantity': 'Quantity', 'reports.quantityUnit': 'Unit', 'reports.economic': 'Economic benefit (10k yuan)',
  'reports.social': 'Social benefit', 'reports.treasury': 'Treasury income (10k yuan)', 'reports.fiscal': 'of which local fiscal (10k yuan)', 'reports.case': 'Typical case',
  'reports.save': 'Save draft', 'reports.submit': 'Submit', 'reports.approve': 'Approve', 'reports.return': 'Return', 'reports.reason': 'Reason for return',
  'reports.saved': 'Draft saved', 'reports.submitted': 'Submitted for review', 'reports.approved': 'Approved', 'reports.returned': 'Returned to the unit',
  'reports.needReason': 'Say why it goes back', 'reports.locked': 'Approved: locked', 'reports.underReview': 'Submitted: under review',
  'reports.returnedBecause': 'Returned: {reason}', 'reports.formTitle': '{code} {name} · {month}', 'reports.back': 'Back to the list',
  'reports.missing': 'Overdue (due {due})', 'reports.missingNone': 'All reported by {due}', 'reports.due': 'Due {due} (the 25th of each month)',
  'reports.failed': 'Failed', 'reports.by': '{who} at {at}',
  'report.state.draft': 'draft', 'report.state.submitted': 'submitted', 'report.state.approved': 'approved', 'report.state.returned': 'returned',
  'report.group.county': 'Counties', 'report.group.district': 'Districts', 'report.group.city': 'City departments', 'report.group.zone': 'Zones', 'report.group.enterprise': 'State enterprises',
  'admin.menu': 'Administration', 'places.title': 'Regions and zones', 'places.hint': 'Load regions (the land survey XZQ layer: XZQDM/XZQMC, or code/name) or development zone outlines: zipped Shapefile (GBK or UTF-8), GeoPackage, GeoJSON, KML, in CGCS2000 lon/lat or Gauss-Krüger. Try a dry run first to see what changes, then load; assets where an outline moved get their county and zone again, recorded in their history.',
  'places.kind': 'Kind', 'places.region': 'Regions', 'places.zone': 'Zones', 'places.file': 'Boundary file', 'places.encoding': 'Encoding (optional)',
  'places.dry': 'Dry run', 'places.load': 'Load', 'places.pick': 'Choose a boundary file', 'places.working': 'Working…', 'places.done': 'Boundaries loaded',
  'places.summaryDry': 'Dry run (nothing written): {rows} rows, {inserted} new, {updated} updated, {unchanged} unchanged, {rejected} rejected; CRS {crs}',
  'places.summary': 'Loaded: {rows} rows, {inserted} new, {updated} updated, {unchanged} unchanged, {rejected} rejected; {moved} assets re-derived; CRS {crs}',
  'places.code': 'Code', 'places.name': 'Name', 'places.action': 'Change', 'places.fields': 'What changes', 'places.row': 'Row', 'places.reason': 'Reason',
  'places.insert': 'New', 'places.update': 'Updated', 'places.f.name': 'name', 'places.f.level': 'level', 'places.f.parent_code': 'parent', 'places.f.type': 'type', 'places.f.region_code': 'county', 'places.f.geometry': 'outline',
  'audit.title': 'Audit log', 'audit.from': 'From', 'audit.to': 'To', 'audit.actor': 'Actor', 'audit.action': 'Action', 'audit.q': 'Text',
  'audit.search': 'Search', 'audit.csv': 'Export CSV', 'audit.at': 'Time', 'audit.target': 'Target', 'audit.detail': 'Detail', 'audit.ip': 'Address',
  'audit.empty': 'No matching entries', 'audit.total': '{n} entries',
  'audit.login.ok': 'Sign-in', 'audit.login.failed': 'Failed sign-in', 'audit.login.locked': 'Account locked', 'audit.login.unlocked': 'Account unlocked', 'audit.login.throttled': 'Address throttled', 'audit.logout': 'Sign-out', 'audit.token.issue': 'Token issued', 'audit.token.revoke': 'Token revoked', 'audit.user.create': 'User created', 'audit.user.update': 'User changed', 'audit.user.disable': 'User disabled', 'audit.user.enable': 'User enabled', 'audit.user.password': 'Password set', 'audit.export': 'Export', 'audit.import': 'Import', 'audit.audit.export': 'Audit export', 'audit.audit.prune': 'Audit prune', 'audit.print': 'Map printed', 'audit.attachment.add': 'Attachment added', 'audit.attachment.delete': 'Attachment deleted', 'audit.lease.add': 'Lease added', 'audit.lease.delete': 'Lease deleted',
  // 盘活榜单 in five groups, 工作领域 and targets (board.js, targets.js)
  'board.title': 'Monthly leaderboard (five groups)', 'board.open': 'Five-group board', 'board.group': 'Group', 'board.month': 'Month', 'board.download': 'Download XLSX',
  'board.group.county': 'Counties', 'board.group.district': 'Districts', 'board.group.city': 'City departments', 'board.group.zone': 'Zones', 'board.group.enterprise': 'State enterprises',
  'board.trend': 'Economic benefit, last 12 months (10k yuan)', 'board.madeAt': 'Made on {date}', 'board.unit': 'Unit: 10k yuan', 'board.total': 'Group total',
  'board.rank': 'Rank', 'board.unitName': 'Unit', 'board.projects': 'Projects', 'board.quantity': 'Quantity', 'board.economic': 'Economic benefit',
  'board.treasury': 'Treasury income', 'board.fiscal': 'Of which local funds', 'board.cases': 'Typical cases',
  'board.field.natural_resources': 'Natural resources', 'board.field.water': 'Water', 'board.field.forestry': 'Forestry', 'board.field.zones_energy': 'Zones and energy', 'board.field.data': 'Data',
  'board.field.culture_tourism': 'Culture and tourism', 'board.field.party_gov_assets': 'Government assets', 'board.field.institution_assets': 'Other public institutions', 'board.field.enterprise_assets': 'State enterprise assets', 'board.field.concession': 'Concessions',
  'target.benefit': 'Expected benefit', 'dash.fields': 'Work field', 'dash.fields.lead': 'Lead unit',
  'targets.title': 'Targets', 'targets.year': 'Year', 'targets.save': 'Save targets', 'targets.regions': 'Expected benefit per region', 'targets.fields': 'Targets per work field',
  'targets.import': 'Import from XLSX', 'targets.importHint': 'Laid out like the plans: region | expected benefit, or no. | work field | lead and partner units | main tasks | expected benefit; title rows above the header and total rows are skipped. Preview first, then import; nothing is written if any row is wrong.',
  'targets.file': 'XLSX file', 'targets.dry': 'Preview', 'targets.load': 'Import', 'targets.region': 'Region', 'targets.benefit': 'Expected benefit (10k yuan)', 'targets.field': 'Work field',
  'targets.lead_unit': 'Lead unit', 'targets.partners': 'Partners', 'targets.tasks': 'Main tasks', 'targets.saved': 'Targets saved', 'targets.failed': 'Not saved',
  'targets.pick': 'Choose an XLSX file', 'targets.imported': 'Targets imported', 'targets.column': 'Column', 'targets.shape.regions': 'regions table', 'targets.shape.fields': 'work fields table',
  'targets.summaryBad': '{errors} problems: nothing written', 'targets.summaryDry': 'Preview (nothing written): {shape}, {created} new, {updated} updated, {unchanged} unchanged',
  'targets.summary': 'Imported: {shape}, {created} new, {updated} updated, {unchanged} unchanged',
};

const dicts = { zh, en };
let lang = 'zh';

/** setLang switches the language of every later t() call and of the page's static labels. */
export function setLang(l) {
  lang = dicts[l] ? l : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = (t('app.city') ? t('app.city') + ' · ' : '') + t('app.title') + ' · OneMap';
  applyI18n(document);
}

/** addWords adds a screen's own words to a language (projects.js keeps its words beside it). */
export function addWords(l, words) { Object.assign(dicts[l], words); }

/** getLang returns 'zh' or 'en'. */
export function getLang() { return lang; }

/** setPlace names the city (or province) the deployment serves, from /api/v1/config, in both languages. */
export function setPlace(name) {
  zh['app.city'] = name || '';
  en['app.city'] = name || '';
  setLang(lang);
}

/** t translates a key, filling {name} placeholders from vars; unknown keys come back as is. */
export function t(key, vars) {
  let s = dicts[lang][key] ?? zh[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, v);
  return s;
}

/** label gives the display word of a contract value, e.g. label('stage', 'done') = 已盘活. */
export function label(group, value) {
  if (value == null || value === '') return '—';
  const k = `${group}.${value}`;
  return dicts[lang][k] ?? zh[k] ?? value;
}

/** applyI18n fills data-i18n (text), data-i18n-title, -aria-label and -placeholder attributes. */
export function applyI18n(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attr of ['title', 'aria-label', 'placeholder']) {
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
  }
}

const nf = (digits) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** num formats a number with grouping and at most `digits` decimals; '—' for nothing. */
export function num(v, digits = 2) {
  if (v == null || v === '' || Number.isNaN(Number(v))) return '—';
  return nf(digits).format(Number(v));
}

/** mu formats an area in 亩. */
export function mu(v, digits = 2) { return v == null ? '—' : `${num(v, digits)} ${t('unit.mu')}`; }

/** m2 formats an area in m². */
export function m2(v) { return v == null ? '—' : `${num(v, 0)} ${t('unit.m2')}`; }

/** wan formats money held in 万元. */
export function wan(v, digits = 2) { return v == null ? '—' : `${num(v, digits)} ${t('unit.wan')}`; }

/** pct formats a share 0..1 as a percentage. */
export function pct(v, digits = 1) { return v == null ? '—' : `${num(v * 100, digits)}%`; }

const pad = (n) => String(n).padStart(2, '0');

/** date formats a date or timestamp as 2025-09-05 (local calendar day for timestamps). */
export function date(v) {
  if (!v) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** dateTime formats a timestamp as 2025-09-05 14:03. */
export function dateTime(v) {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${date(v)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
