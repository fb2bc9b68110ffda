"""The 2023 Quảng Ngãi contest as the demo data set.

The four works named in the news report are real (``invented=False``); the other 17
are invented so that 21 works from 12 district-level units reach the province, as
happened. Invented teams are marked ``is_demo`` and their works say so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoWork:
    unit_code: str  # the team's unit in the 2023 hierarchy (commune, ward or village)
    team: str
    title: str
    invented: bool = True


REAL_WORKS = [
    DemoWork(
        "21469",
        "Tổ công nghệ số cộng đồng UBND phường Phổ Hòa",
        "Có Chú Minh đây rồi",
        invented=False,
    ),
    DemoWork(
        "21433",
        "Tổ công nghệ số cộng đồng xã Đức Phong",
        "Tổ công nghệ số cộng đồng xã Đức Phong năng động, sáng tạo",
        invented=False,
    ),
    DemoWork(
        "21379.02",
        "Tổ công nghệ số cộng đồng thôn Kỳ Thọ Nam 2",
        "Cầu nối đưa chuyển đổi số đến từng người dân",
        invented=False,
    ),
    DemoWork(
        "21271",
        "Tổ công nghệ số cộng đồng xã Nghĩa Điền",
        "Xã Nghĩa Điền hoàn thành chi trả trợ cấp xã hội không dùng tiền mặt",
        invented=False,
    ),
]

INVENTED_WORKS = [
    DemoWork(
        "21013",
        "Tổ công nghệ số cộng đồng phường Trần Phú",
        "Dịch vụ công trực tuyến — không còn xa lạ",
    ),
    DemoWork(
        "21019",
        "Tổ công nghệ số cộng đồng phường Nghĩa Chánh",
        "Mỗi người dân một tài khoản định danh điện tử",
    ),
    DemoWork("21043.01", "Tổ công nghệ số cộng đồng thôn Sơn Trà", "Chợ 4.0 ở làng quê"),
    DemoWork(
        "21046", "Tổ công nghệ số cộng đồng xã Bình Thạnh", "Quét mã QR, thanh toán không tiền mặt"
    ),
    DemoWork(
        "21118", "Tổ công nghệ số cộng đồng xã Trà Giang", "Chuyển đổi số nơi miền núi Trà Bồng"
    ),
    DemoWork(
        "21175",
        "Tổ công nghệ số cộng đồng xã Tịnh Thọ",
        "Tổ công nghệ số đến từng ngõ, gõ từng nhà",
    ),
    DemoWork("21181", "Tổ công nghệ số cộng đồng xã Tịnh Phong", "Nộp hồ sơ không cần đến trụ sở"),
    DemoWork(
        "21235",
        "Tổ công nghệ số cộng đồng thị trấn La Hà",
        "Ứng dụng VNeID — tiện ích trong tầm tay",
    ),
    DemoWork(
        "21241", "Tổ công nghệ số cộng đồng xã Nghĩa Lâm", "Nông sản lên sàn thương mại điện tử"
    ),
    DemoWork(
        "21292.01",
        "Tổ công nghệ số cộng đồng thôn Gò Da",
        "Già làng học dùng điện thoại thông minh",
    ),
    DemoWork("21331", "Tổ công nghệ số cộng đồng xã Sơn Bua", "Sóng số về bản"),
    DemoWork(
        "21349",
        "Tổ công nghệ số cộng đồng xã Long Sơn",
        "Thanh niên tình nguyện cùng Tổ công nghệ số",
    ),
    DemoWork(
        "21364",
        "Tổ công nghệ số cộng đồng thị trấn Chợ Chùa",
        "Một ngày của Tổ công nghệ số cộng đồng",
    ),
    DemoWork(
        "21400",
        "Tổ công nghệ số cộng đồng thị trấn Mộ Đức",
        "Cổng Dịch vụ công quốc gia — hướng dẫn từng bước",
    ),
    DemoWork(
        "21439",
        "Tổ công nghệ số cộng đồng phường Nguyễn Nghiêm",
        "Khám bệnh bằng căn cước công dân gắn chip",
    ),
    DemoWork("21442", "Tổ công nghệ số cộng đồng xã Phổ An", "Ngư dân vươn khơi cùng công nghệ số"),
    DemoWork(
        "21484",
        "Tổ công nghệ số cộng đồng thị trấn Ba Tơ",
        "Chuyển đổi số — không ai bị bỏ lại phía sau",
    ),
]

WORKS = REAL_WORKS + INVENTED_WORKS

#: Team leaders who get a demo login (username → unit code of their team).
TEAM_LOGINS = {
    "to.nghiadien": "21271",
    "to.phohoa": "21469",
    "to.ducphong": "21433",
    "to.kythonam2": "21379.02",
}

RULES_2023 = """\
1. Đối tượng: các Tổ công nghệ số cộng đồng cấp xã, phường, thị trấn và thôn, tổ dân phố \
trên địa bàn tỉnh Quảng Ngãi.
2. Nội dung: video clip phản ánh hoạt động của Tổ công nghệ số cộng đồng trong việc \
hướng dẫn người dân sử dụng dịch vụ công trực tuyến, nền tảng số, thanh toán không dùng \
tiền mặt và các chủ trương về chuyển đổi số.
3. Yêu cầu: thời lượng từ 30 giây đến 10 phút; mỗi Tổ gửi tối đa 2 tác phẩm; tác phẩm \
chưa từng đoạt giải ở cuộc thi khác.
4. Xét chọn: các huyện, thị xã, thành phố xét chọn tác phẩm của các Tổ trên địa bàn và \
gửi về Sở Thông tin và Truyền thông.
5. Bình chọn: tác phẩm được đăng tải công khai để khán giả bình chọn.
6. Ban Tổ chức chọn các tác phẩm đạt chất lượng cao về truyền thông và trao giải Nhất \
toàn diện.
"""
